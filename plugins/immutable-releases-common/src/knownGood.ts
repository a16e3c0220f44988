import { Deployment } from './types';

/**
 * How many of an environment's latest deployments the known-good rule looks at
 * (one page of the deployments list), wherever it is applied.
 *
 * @public
 */
export const KNOWN_GOOD_DEPLOYMENTS_LOOKED_AT = 200;

/** A release that may be rolled back to in an environment. */
export interface KnownGoodRelease {
  id: string;
  version: string;
  digest: string;
  /** When it last succeeded in the environment. */
  succeededAt: string;
}

/**
 * The known-good releases of one environment, the default rollback target
 * first: releases that succeeded there, other than the current one, that are
 * not revoked and were never rolled back from there. A release is rolled back
 * from when a rollback (manual or automatic) replaced it, or when its
 * verification failed in the environment.
 *
 * `deployments` are the environment's deployments in any order and of any
 * status. `currentReleaseId` defaults to the release of the deployment that
 * succeeded last.
 *
 * @public
 */
export function knownGoodReleases(
  deployments: Deployment[],
  currentReleaseId?: string,
): KnownGoodRelease[] {
  const bySuccess = deployments
    .filter(d => d.status === 'succeeded')
    .sort(
      (a, b) =>
        a.updatedAt.localeCompare(b.updatedAt) ||
        a.createdAt.localeCompare(b.createdAt),
    );
  const rolledBackFrom = new Set<string>();
  let previous: string | undefined;
  for (const deployment of bySuccess) {
    if (
      deployment.kind === 'rollback' &&
      previous !== undefined &&
      previous !== deployment.releaseId
    ) {
      rolledBackFrom.add(previous);
    }
    previous = deployment.releaseId;
  }
  for (const deployment of deployments) {
    if (
      deployment.status === 'failed' &&
      deployment.transitions.some(t => t.status === 'verifying')
    ) {
      rolledBackFrom.add(deployment.releaseId);
    }
  }

  const current = currentReleaseId ?? previous;
  const seen = new Set<string>();
  const result: KnownGoodRelease[] = [];
  for (const deployment of bySuccess.reverse()) {
    const id = deployment.releaseId;
    if (
      seen.has(id) ||
      id === current ||
      deployment.release.revoked ||
      rolledBackFrom.has(id)
    ) {
      continue;
    }
    seen.add(id);
    result.push({
      id,
      version: deployment.release.version,
      digest: deployment.release.artifact.digest,
      succeededAt: deployment.updatedAt,
    });
  }
  return result;
}
