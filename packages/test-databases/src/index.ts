/**
 * The databases this repository's database tests run on.
 *
 * @packageDocumentation
 */
export {
  connectionStringVariable,
  createTestDatabases,
  configuredPostgresIds,
} from './testDatabases';
