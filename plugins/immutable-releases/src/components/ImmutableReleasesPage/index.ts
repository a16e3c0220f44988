export { ImmutableReleasesPage } from './ImmutableReleasesPage';
