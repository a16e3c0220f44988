import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_IDS: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
];

/** The variable that holds the connection string of a PostgreSQL version, e.g. `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`. */
export const connectionStringVariable = (id: TestDatabaseId) =>
  `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`;

/** The PostgreSQL versions whose connection string variable is set. */
export function configuredPostgresIds(
  env: NodeJS.ProcessEnv = process.env,
): TestDatabaseId[] {
  return POSTGRES_IDS.filter(id => env[connectionStringVariable(id)]);
}

/**
 * SQLite always, plus every PostgreSQL whose connection string variable is set.
 *
 * PostgreSQL is never started in Docker: the root `yarn test` sets `CI=true`, and Backstage's
 * `TestDatabases` then insists on a container runtime for any PostgreSQL without a connection
 * string, which fails on a machine without Docker.
 */
export function createTestDatabases(
  env: NodeJS.ProcessEnv = process.env,
): TestDatabases {
  return TestDatabases.create({
    ids: [...configuredPostgresIds(env), 'SQLITE_3'],
  });
}
