/**
 * Extension points for backend modules of the Immutable Releases plugin.
 *
 * @packageDocumentation
 */
export * from './durations';
export * from './executors';
export * from './observations';
