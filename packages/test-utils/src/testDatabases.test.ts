import { configuredPostgresIds, createTestDatabases } from './testDatabases';

describe('createTestDatabases without a PostgreSQL connection string, under CI', () => {
  const databases = createTestDatabases({ CI: 'true' });

  it('runs on SQLite only instead of asking for Docker', async () => {
    expect(databases.eachSupportedId()).toEqual([['SQLITE_3']]);
    const knex = await databases.init('SQLITE_3');
    await expect(knex.raw('select 1 as one')).resolves.toEqual([{ one: 1 }]);
  });
});

describe('configuredPostgresIds', () => {
  it('lists each PostgreSQL whose connection string is set', () => {
    const env = {
      BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:
        'postgresql://postgres@127.0.0.1:5432',
      BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING:
        'postgresql://postgres@127.0.0.1:5433',
    };

    expect(configuredPostgresIds(env)).toEqual(['POSTGRES_17', 'POSTGRES_15']);
    expect(configuredPostgresIds({})).toEqual([]);
  });
});
