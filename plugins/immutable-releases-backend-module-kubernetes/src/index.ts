/**
 * Kubernetes for the Immutable Releases backend: the `kubernetes` executor
 * type and pod-based drift observation.
 *
 * @packageDocumentation
 */
export { immutableReleasesModuleKubernetes as default } from './module';
