export { EntityImmutableReleasesContent } from './EntityImmutableReleasesContent';
