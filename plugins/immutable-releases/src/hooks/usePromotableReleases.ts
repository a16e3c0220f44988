import { useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { EnvironmentStatus } from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../api/ImmutableReleasesApi';

/** How many recent releases are offered besides those current somewhere. */
const RECENT_RELEASES = 20;

/** A release that may be promoted, and the environments it is current in. */
export interface PromotableRelease {
  id: string;
  version: string;
  digest: string;
  currentIn: string[];
}

/**
 * The releases a promotion may choose from, none of them revoked: first those
 * current in an environment (in pipeline order), then the most recent ones.
 *
 * @param open - the recent releases are only loaded while this is true.
 */
export function usePromotableReleases(
  entityRef: string,
  environments: EnvironmentStatus[],
  open: boolean,
) {
  const api = useApi(immutableReleasesApiRef);
  const recent = useAsync(
    async () =>
      open
        ? api.listReleases(entityRef, { limit: RECENT_RELEASES })
        : undefined,
    [api, entityRef, open],
  );

  const releases = useMemo(() => {
    const byId = new Map<string, PromotableRelease>();
    for (const environment of environments) {
      const current = environment.currentRelease;
      if (current && !current.revoked) {
        const option = byId.get(current.id) ?? {
          id: current.id,
          version: current.version,
          digest: current.artifact.digest,
          currentIn: [],
        };
        option.currentIn.push(environment.name);
        byId.set(current.id, option);
      }
    }
    for (const release of recent.value?.items ?? []) {
      if (!byId.has(release.id) && !release.revocation) {
        byId.set(release.id, {
          id: release.id,
          version: release.version,
          digest: release.artifact.digest,
          currentIn: [],
        });
      }
    }
    return [...byId.values()];
  }, [environments, recent.value]);

  return {
    releases,
    /** The newest release of the entity, revoked or not, once loaded. */
    newestReleaseId: recent.value?.items[0]?.id,
    loading: recent.loading,
    error: recent.error,
  };
}
