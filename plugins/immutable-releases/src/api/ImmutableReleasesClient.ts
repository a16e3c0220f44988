import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ImmutableReleasesApiClient } from 'backstage-plugin-immutable-releases-common';
import { ImmutableReleasesApi } from './ImmutableReleasesApi';

/**
 * Talks to the Immutable Releases backend (`/api/immutable-releases`) with the user's
 * Backstage credentials, which the `fetchApi` adds: the typed client of the -common
 * package, with the app's discovery and fetch APIs.
 *
 * @public
 */
export class ImmutableReleasesClient
  extends ImmutableReleasesApiClient
  implements ImmutableReleasesApi
{
  // Not useless: it makes `fetchApi` required, since the app's fetch API is what signs
  // requests in.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    super(options);
  }
}
