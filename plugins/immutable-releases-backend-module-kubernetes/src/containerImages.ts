import { PodSpec } from './kubernetesTypes';
import { isImageOf } from 'backstage-plugin-immutable-releases-node';

/** The containers of a pod template that run a given image repository, by name. */
export interface MatchingContainers {
  containers: string[];
  initContainers: string[];
}

export function matchingContainers(
  spec: PodSpec,
  uri: string,
): MatchingContainers {
  const named = (list: PodSpec['containers'] | undefined) =>
    (list ?? [])
      .filter(container => container.image && isImageOf(container.image, uri))
      .map(container => container.name);
  return {
    containers: named(spec.containers),
    initContainers: named(spec.initContainers),
  };
}

export function hasMatches(matches: MatchingContainers): boolean {
  return matches.containers.length + matches.initContainers.length > 0;
}

/** Every image of a pod template, init containers included, without repeats. */
export function imagesOf(spec: PodSpec): string[] {
  return [
    ...new Set(
      [...(spec.initContainers ?? []), ...spec.containers]
        .map(container => container.image)
        .filter((image): image is string => Boolean(image)),
    ),
  ];
}

/**
 * A strategic merge patch that sets the image of the named containers and
 * leaves every other container as it is (containers merge by name).
 */
export function imagePatch(matches: MatchingContainers, image: string): object {
  const spec: Record<string, unknown> = {};
  if (matches.containers.length > 0) {
    spec.containers = matches.containers.map(name => ({ name, image }));
  }
  if (matches.initContainers.length > 0) {
    spec.initContainers = matches.initContainers.map(name => ({ name, image }));
  }
  return { spec: { template: { spec } } };
}
