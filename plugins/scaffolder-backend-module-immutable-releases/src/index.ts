/**
 * Scaffolder actions to register, promote and roll back immutable releases.
 *
 * @packageDocumentation
 */
export { scaffolderModuleImmutableReleases as default } from './module';
export * from './actions';
