/**
 * GitHub Actions for the Immutable Releases backend: the `github-actions`
 * executor type.
 *
 * @packageDocumentation
 */
export { immutableReleasesModuleGithub as default } from './module';
