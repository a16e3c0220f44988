/**
 * Types, permissions and API models shared by the Immutable Releases plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './digest';
export * from './knownGood';
export * from './gates';
export * from './signals';
export * from './client';
