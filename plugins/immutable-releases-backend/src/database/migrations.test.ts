import path from 'node:path';
import { createTestDatabases } from '@internal/test-utils';

const databases = createTestDatabases();
/** The migrations the backend runs at start-up. */
const directory = path.resolve(__dirname, '../../migrations');

/** The tables, columns, indexes, triggers and constraints of the schema, as the database lists them. */
async function schemaOf(knex: Awaited<ReturnType<typeof databases.init>>) {
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(`
      SELECT 'table ' || table_name AS item FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_name NOT LIKE 'knex_%'
      UNION SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
      UNION SELECT 'constraint ' || conname FROM pg_constraint
        WHERE connamespace = current_schema()::regnamespace
          AND conname NOT LIKE 'knex_%'
      UNION SELECT 'index ' || indexname FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename NOT LIKE 'knex_%'
      UNION SELECT 'column ' || table_name || '.' || column_name
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name NOT LIKE 'knex_%'
      ORDER BY item`);
    return rows.map((row: { item: string }) => row.item);
  }
  const rows = await knex.raw(`
    SELECT type || ' ' || name AS item FROM sqlite_master
      WHERE name NOT LIKE 'knex_%' AND name NOT LIKE 'sqlite_%'
    UNION SELECT 'column ' || m.name || '.' || c.name
      FROM sqlite_master m, pragma_table_info(m.name) c
      WHERE m.type = 'table' AND m.name NOT LIKE 'knex_%'
        AND m.name NOT LIKE 'sqlite_%'
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

  it('undoes each migration with its own down, back to the schema before it', async () => {
    const knex = await databases.init(databaseId);
    const [, pending] = await knex.migrate.list({ directory });
    expect(pending.length).toBeGreaterThan(0);

    // schemas[i] is the schema once the first i migrations ran.
    const schemas = [await schemaOf(knex)];
    for (let i = 0; i < pending.length; i++) {
      await knex.migrate.up({ directory });
      schemas.push(await schemaOf(knex));
    }
    expect((await knex.migrate.list({ directory }))[1]).toEqual([]);

    for (let i = pending.length - 1; i >= 0; i--) {
      await knex.migrate.down({ directory });
      expect({
        after: `down of migration ${i}`,
        schema: await schemaOf(knex),
      }).toEqual({ after: `down of migration ${i}`, schema: schemas[i] });
    }
  });
});
