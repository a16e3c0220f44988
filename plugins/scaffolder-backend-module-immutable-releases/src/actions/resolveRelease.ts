import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { Release } from 'backstage-plugin-immutable-releases-common';
import { ReleasesApiClient } from './ReleasesApiClient';

/**
 * The release an action input names, by `releaseId` or by `version` (looked up
 * in the entity's releases). Both may be given when they agree.
 */
export async function resolveRelease(
  client: ReleasesApiClient,
  credentials: BackstageCredentials,
  input: { entityRef: string; releaseId?: string; version?: string },
): Promise<Release> {
  const { entityRef, releaseId, version } = input;
  if (releaseId) {
    const release = await client.getRelease(releaseId, credentials);
    if (release.entityRef !== entityRef) {
      throw new InputError(
        `releaseId ${releaseId} is a release of ${release.entityRef}, not of ${entityRef}`,
      );
    }
    if (version && release.version !== version) {
      throw new InputError(
        `releaseId ${releaseId} is version ${release.version}, not ${version}`,
      );
    }
    return release;
  }
  if (version) {
    const release = await client.findReleaseByVersion(
      entityRef,
      version,
      credentials,
    );
    if (!release) {
      throw new NotFoundError(
        `${entityRef} has no release with version ${version}`,
      );
    }
    return release;
  }
  throw new InputError('give either releaseId or version');
}
