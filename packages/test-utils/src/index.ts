/**
 * What this repository's tests share: the databases the database tests run
 * on, and a test backend with the catalog, the permission backend and the
 * Immutable Releases backend plugin.
 *
 * @packageDocumentation
 */
export {
  connectionStringVariable,
  createTestDatabases,
  configuredPostgresIds,
} from './testDatabases';
export { eventually } from './eventually';
export {
  releasesDatabaseServiceFactory,
  startReleasesTestBackend,
} from './releasesTestBackend';
export type {
  ReleasesTestBackend,
  ReleasesTestBackendOptions,
} from './releasesTestBackend';
export { testDeploymentContext } from './deploymentContext';
export type { TestDeploymentContextOptions } from './deploymentContext';
export { BenchReport, benchLog, formatMeasure } from './bench/benchReport';
export {
  createPostgresDatabase,
  createSqliteDatabase,
} from './bench/benchDatabase';
export type { BenchDatabase } from './bench/benchDatabase';
