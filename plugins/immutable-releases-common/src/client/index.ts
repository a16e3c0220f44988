export { ImmutableReleasesApiClient } from './ImmutableReleasesApiClient';
export type {
  ImmutableReleasesApiClientOptions,
  ImmutableReleasesRequestOptions,
  PageOptions,
} from './ImmutableReleasesApiClient';
export { GatesRefusedError } from './GatesRefusedError';
