import { mkdtempSync, rmSync, statSync } from 'fs';
import knexFactory, { Knex } from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import { tuneSqliteConnections } from './sqliteConnections';

/** An in-memory SQLite knex whose connection counts the statements it compiles. */
async function countingSqlite() {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  const connection = await knex.client.acquireConnection();
  const compiled: string[] = [];
  const prepare = connection.prepare.bind(connection);
  connection.prepare = (sql: string) => {
    compiled.push(sql);
    return prepare(sql);
  };
  await knex.client.releaseConnection(connection);
  await knex.schema.createTable('items', table => {
    table.integer('id');
  });
  await knex('items').insert([{ id: 1 }, { id: 2 }]);
  compiled.length = 0;
  return { knex, compiled };
}

describe('tuneSqliteConnections', () => {
  let knex: Knex | undefined;
  afterEach(() => knex?.destroy());

  it('compiles a statement once however often it runs, with its bindings each time', async () => {
    const sqlite = await countingSqlite();
    knex = sqlite.knex;
    tuneSqliteConnections(knex);

    const answers = [];
    for (const id of [1, 2, 1]) {
      answers.push(await knex('items').where({ id }).select('id'));
    }

    expect(answers).toEqual([[{ id: 1 }], [{ id: 2 }], [{ id: 1 }]]);
    expect(sqlite.compiled).toHaveLength(1);
  });

  it('answers with the schema as it is after a change, not as it was compiled', async () => {
    const sqlite = await countingSqlite();
    knex = sqlite.knex;
    tuneSqliteConnections(knex);
    expect(await knex('items').select('*').orderBy('id')).toEqual([
      { id: 1 },
      { id: 2 },
    ]);

    await knex.schema.alterTable('items', table => {
      table.string('name').defaultTo('unnamed');
    });

    expect(await knex('items').select('*').orderBy('id')).toEqual([
      { id: 1, name: 'unnamed' },
      { id: 2, name: 'unnamed' },
    ]);
  });

  it('keeps only the most recently used statements', async () => {
    const sqlite = await countingSqlite();
    knex = sqlite.knex;
    tuneSqliteConnections(knex, 2);
    const byId = (id: number) => knex!('items').where({ id }).select('id');
    const byIds = (...ids: number[]) => knex!('items').whereIn('id', ids);

    await byId(1);
    await byIds(1, 2);
    await byId(2);
    await byIds(1, 2, 3);
    await byIds(2, 1);
    await byId(1);

    expect(sqlite.compiled).toEqual([
      'select `id` from `items` where `id` = ?',
      'select * from `items` where `id` in (?, ?)',
      'select * from `items` where `id` in (?, ?, ?)',
      'select * from `items` where `id` in (?, ?)',
      'select `id` from `items` where `id` = ?',
    ]);
  });

  it('writes a file database ahead, with commits that do not wait for the disk', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'immutable-releases-'));
    try {
      knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(directory, 'releases.sqlite') },
        useNullAsDefault: true,
      });
      const before = [
        await knex.raw('PRAGMA journal_mode'),
        await knex.raw('PRAGMA synchronous'),
      ];
      tuneSqliteConnections(knex);

      await knex.schema.createTable('items', table => table.integer('id'));
      await knex('items').insert({ id: 1 });

      // 2 is FULL, 1 NORMAL.
      expect(before).toEqual([
        [{ journal_mode: 'delete' }],
        [{ synchronous: 2 }],
      ]);
      expect(await knex.raw('PRAGMA journal_mode')).toEqual([
        { journal_mode: 'wal' },
      ]);
      expect(await knex.raw('PRAGMA synchronous')).toEqual([
        { synchronous: 1 },
      ]);
      expect(await knex('items').select('id')).toEqual([{ id: 1 }]);
    } finally {
      await knex?.destroy();
      knex = undefined;
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("copies a file database's log back into it in the background, not in the writing connection", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'immutable-releases-'));
    const file = join(directory, 'releases.sqlite');
    try {
      knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: file },
        useNullAsDefault: true,
      });
      tuneSqliteConnections(knex);
      await knex.schema.createTable('items', table => table.text('body'));
      const sizeBefore = statSync(file).size;

      // About 2 MB: half of what makes a writing connection checkpoint by
      // SQLite's default.
      for (let batch = 0; batch < 20; batch++) {
        await knex('items').insert(
          Array.from({ length: 100 }, () => ({ body: 'x'.repeat(1000) })),
        );
      }
      const checkpointPages = await knex.raw('PRAGMA wal_autocheckpoint');
      const deadline = Date.now() + 4_000;
      while (statSync(file).size < sizeBefore + 2_000_000) {
        if (Date.now() > deadline) {
          throw new Error(
            `the database file stayed at ${statSync(file).size} bytes`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }

      expect(checkpointPages).toEqual([{ wal_autocheckpoint: 10_000 }]);
      expect(await knex('items').count({ count: '*' })).toEqual([
        { count: 2000 },
      ]);
    } finally {
      await knex?.destroy();
      knex = undefined;
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('tunes a client once, however many times it is asked to', async () => {
    const sqlite = await countingSqlite();
    knex = sqlite.knex;
    tuneSqliteConnections(knex);
    const query = (knex.client as { _query: unknown })._query;

    tuneSqliteConnections(knex);

    expect((knex.client as { _query: unknown })._query).toBe(query);
  });

  it('leaves other clients as they are', () => {
    knex = knexFactory({ client: 'pg' });
    const query = (knex.client as { _query: unknown })._query;

    tuneSqliteConnections(knex);

    expect((knex.client as { _query: unknown })._query).toBe(query);
  });
});
