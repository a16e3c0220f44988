/**
 * The Immutable Releases backend plugin.
 *
 * @packageDocumentation
 */
export { immutableReleasesPlugin as default } from './plugin';
