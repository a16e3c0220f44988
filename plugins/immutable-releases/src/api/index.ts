export * from './ImmutableReleasesApi';
export { ImmutableReleasesClient } from './ImmutableReleasesClient';
