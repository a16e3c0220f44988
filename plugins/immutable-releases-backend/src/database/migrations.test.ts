import path from 'node:path';
import { createTestDatabases } from '@internal/test-databases';

const databases = createTestDatabases();
/** The migrations the backend runs at start-up. */
const directory = path.resolve(__dirname, '../../migrations');

/** The tables, triggers and constraints of the schema, as the database lists them. */
async function schemaOf(knex: Awaited<ReturnType<typeof databases.init>>) {
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(`
      SELECT 'table ' || table_name AS item FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_name NOT LIKE 'knex_%'
      UNION SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
      UNION SELECT 'constraint ' || conname FROM pg_constraint
        WHERE connamespace = current_schema()::regnamespace
      ORDER BY item`);
    return rows.map((row: { item: string }) => row.item);
  }
  const rows = await knex.raw(`
    SELECT type || ' ' || name AS item FROM sqlite_master
      WHERE name NOT LIKE 'knex_%' AND name NOT LIKE 'sqlite_%'
      ORDER BY item`);
  return rows.map((row: { item: string }) => row.item);
}

describe.each(databases.eachSupportedId())('migrations on %p', databaseId => {
  it('run up, all the way down, and up again to the same schema', async () => {
    const knex = await databases.init(databaseId);

    await knex.migrate.latest({ directory });
    const migrated = await schemaOf(knex);
    expect(migrated).toEqual(
      expect.arrayContaining([
        expect.stringContaining('releases'),
        expect.stringContaining('deployments_refuse_identity_change'),
      ]),
    );

    // One migration at a time, newest first, as an operator would roll back.
    while ((await knex.migrate.currentVersion({ directory })) !== 'none') {
      await knex.migrate.down({ directory });
    }
    expect(
      (await schemaOf(knex)).filter((item: string) => item.startsWith('table')),
    ).toEqual([]);

    await knex.migrate.latest({ directory });
    expect(await schemaOf(knex)).toEqual(migrated);
  });
});
