/**
 * Argo CD for the Immutable Releases backend: the `argocd` executor type and
 * drift observation from Applications.
 *
 * @packageDocumentation
 */
export { immutableReleasesModuleArgoCd as default } from './module';
