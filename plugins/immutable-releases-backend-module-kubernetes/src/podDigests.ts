import { isValidDigest } from 'backstage-plugin-immutable-releases-common';
import { Pod } from './kubernetesTypes';
import {
  imageDigest,
  isImageOf,
} from 'backstage-plugin-immutable-releases-node';

/** What the pods of one entity run of its release's repository. */
export interface RunningDigests {
  /** Pods per digest, most pods first (ties: the digest that sorts first). */
  digests: Array<{ digest: string; pods: number }>;
  /** Every image the pods' specs name, for a message when nothing matched. */
  images: string[];
}

/**
 * Reads the digest each live pod runs for containers whose image (in the pod
 * spec) is of one of `uris`: the digest after `@` in the container status's
 * `imageID`, which is what the runtime pulled even when the spec names a tag.
 * A pod counts once per distinct digest; containers not started yet
 * (no `imageID`) and finished pods count for nothing.
 */
export function runningDigests(pods: Pod[], uris: string[]): RunningDigests {
  const counts = new Map<string, number>();
  const images = new Set<string>();
  for (const pod of pods) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      continue;
    }
    const specs = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    const digests = new Set<string>();
    for (const container of specs) {
      if (!container.image) {
        continue;
      }
      images.add(container.image);
      if (!uris.some(uri => isImageOf(container.image!, uri))) {
        continue;
      }
      const imageId = statuses.find(s => s.name === container.name)?.imageID;
      const digest = imageId ? imageDigest(imageId) : undefined;
      if (digest && isValidDigest(digest)) {
        digests.add(digest);
      }
    }
    for (const digest of digests) {
      counts.set(digest, (counts.get(digest) ?? 0) + 1);
    }
  }
  return {
    digests: [...counts]
      .map(([digest, count]) => ({ digest, pods: count }))
      .sort((a, b) => b.pods - a.pods || a.digest.localeCompare(b.digest)),
    images: [...images].sort(),
  };
}
