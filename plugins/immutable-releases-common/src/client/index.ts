export { ImmutableReleasesApiClient } from './ImmutableReleasesApiClient';
export type {
  EventFilter,
  FleetFilter,
  ImmutableReleasesApiClientOptions,
  ImmutableReleasesRequestOptions,
  PageOptions,
} from './ImmutableReleasesApiClient';
export { GatesRefusedError } from './GatesRefusedError';
