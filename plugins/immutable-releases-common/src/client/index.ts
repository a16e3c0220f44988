export { ImmutableReleasesApiClient } from './ImmutableReleasesApiClient';
export type {
  FleetFilter,
  ImmutableReleasesApiClientOptions,
  ImmutableReleasesRequestOptions,
  PageOptions,
} from './ImmutableReleasesApiClient';
export { GatesRefusedError } from './GatesRefusedError';
