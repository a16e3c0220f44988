/**
 * The databases this repository's database tests run on.
 *
 * @packageDocumentation
 */
export { createTestDatabases, configuredPostgresIds } from './testDatabases';
