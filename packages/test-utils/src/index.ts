/**
 * What this repository's tests share: the databases the database tests run
 * on; a test backend with the catalog, the permission backend and the
 * Immutable Releases backend plugin, and a client of its API; and a base for
 * local JSON API servers that stand in for a deployment target.
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
export { CapturedScheduledTasks } from './CapturedScheduledTasks';
export { digestOf } from './digestOf';
export { lastTransitionMessage } from './lastTransitionMessage';
export { releasesTestBackendStarter } from './releasesTestBackendStarter';
export { CHECKOUT_ENTITY_REF, checkoutEntity } from './checkoutEntity';
export { ReleasesTestClient } from './ReleasesTestClient';
export { bearerTokenOf, JsonApiServer } from './JsonApiServer';
export type {
  JsonApiAnswer,
  JsonApiServerOptions,
  RecordedRequest,
} from './JsonApiServer';
export { selfSignedTls } from './selfSignedTls';
export { BenchReport, benchLog, formatMeasure } from './bench/benchReport';
export {
  createPostgresDatabase,
  createSqliteDatabase,
} from './bench/benchDatabase';
export type { BenchDatabase } from './bench/benchDatabase';
export type { TimeParts } from './bench/benchRecord';
