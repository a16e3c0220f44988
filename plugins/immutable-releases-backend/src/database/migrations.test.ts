import path from 'node:path';
import { createTestDatabases } from '@internal/test-utils';
import { listReleases, releaseFixture } from '../__testUtils__/storeFixtures';
import { ReleasesDatabase } from './ReleasesDatabase';
import { toReleaseRow } from './releaseRows';

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
  it('chains the events recorded before the hash chain, per entity in the order they were recorded', async () => {
    const knex = await databases.init(databaseId);
    const [, pending] = await knex.migrate.list({ directory });
    const chainMigration = pending.findIndex(
      (migration: { file: string }) =>
        migration.file === '20261210000000_event_chain.js',
    );
    for (let i = 0; i < chainMigration; i++) {
      await knex.migrate.up({ directory });
    }
    // Interleaved entities, over more rows than the migration reads at once.
    const entities = ['a', 'b', 'c'].map(name => `component:default/${name}`);
    const rows = Array.from({ length: 2100 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: 'release.registered',
      entity_ref: entities[i % 7 === 0 ? 2 : i % 2],
      environment: i % 3 === 0 ? 'production' : null,
      release_id: null,
      deployment_id: null,
      actor: 'user:default/alice',
      at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
      details: JSON.stringify({ z: i, a: { nested: [i, 'x'] } }),
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await knex('events').insert(rows.slice(i, i + 200));
    }

    await knex.migrate.latest({ directory });

    const db = await ReleasesDatabase.fromKnex(knex);
    for (const entityRef of entities) {
      const verification = await db.events.verifyChain(entityRef);
      expect(verification).toEqual({
        valid: true,
        events: rows.filter(row => row.entity_ref === entityRef).length,
        head: expect.stringMatching(/^sha256:/),
      });
    }
    // The chain goes on from the migrated head.
    await db.events.append([
      {
        id: 'e0000000-0000-4000-8000-000000000000',
        type: 'hold.released',
        entityRef: entities[0],
        actor: 'user:default/alice',
        at: '2026-12-10T00:00:00.000Z',
        details: {},
      },
    ]);
    await expect(db.events.verifyChain(entities[0])).resolves.toMatchObject({
      valid: true,
      events: 1 + rows.filter(row => row.entity_ref === entities[0]).length,
    });
    // The events table refuses changes again.
    await expect(
      knex('events').where({ id: rows[0].id }).update({ details: '{}' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/immutable/) });
  });

  it('gives every release registered before the views a stale view, and the next read its answer', async () => {
    const knex = await databases.init(databaseId);
    const [, pending] = await knex.migrate.list({ directory });
    const viewsMigration = pending.findIndex(
      (migration: { file: string }) =>
        migration.file === '20261220000000_release_views.js',
    );
    for (let i = 0; i < viewsMigration; i++) {
      await knex.migrate.up({ directory });
    }
    const entityRef = 'component:default/checkout';
    const release = releaseFixture(entityRef, '1.0.0');
    await knex('releases').insert(toReleaseRow(release));

    await knex.migrate.latest({ directory });

    expect(await knex('release_views')).toEqual([
      { release_id: release.id, revision: 0, format: null, body: null },
    ]);
    const db = await ReleasesDatabase.fromKnex(knex);
    expect(
      (await listReleases(db, entityRef, {})).items.map(r => r.version),
    ).toEqual(['1.0.0']);
    expect(await knex('release_views')).toEqual([
      expect.objectContaining({ release_id: release.id, format: 1 }),
    ]);
  });
});
