import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_IDS: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
];

/**
 * SQLite always, plus every PostgreSQL whose connection string variable is
 * set (CI sets BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING), or
 * PostgreSQL 15 in Docker where Docker is allowed.
 */
export function createTestDatabases(): TestDatabases {
  const configured = POSTGRES_IDS.filter(
    id =>
      process.env[
        `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
      ],
  );
  return TestDatabases.create({
    ids: [
      ...(configured.length > 0
        ? configured
        : (['POSTGRES_15'] as TestDatabaseId[])),
      'SQLITE_3',
    ],
  });
}
