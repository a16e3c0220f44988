import { createTestDatabases } from '@internal/test-utils';
import knexFactory, { Knex } from 'knex';
import {
  prepared,
  prepareMarkedStatements,
  whereAnyOf,
} from './postgresStatements';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'prepared statements on %p',
  databaseId => {
    const opened: Knex[] = [];
    afterAll(() => Promise.all(opened.map(knex => knex.destroy())));

    /** A knex on a fresh database with one connection, so its prepared statements can be listed. */
    async function oneConnection(enabled: boolean) {
      const shared = await databases.init(databaseId);
      const knex = knexFactory({
        ...shared.client.config,
        pool: { min: 1, max: 1 },
      });
      opened.push(knex);
      prepareMarkedStatements(knex, enabled);
      await knex.schema.createTable('items', table => {
        table.integer('id').primary();
        table.string('name');
      });
      await knex('items').insert([
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
        { id: 3, name: 'three' },
      ]);
      const preparedOnConnection = async () =>
        knex.client.dialect === 'postgresql'
          ? (
              await knex.raw(
                'select statement, generic_plans, custom_plans from pg_prepared_statements',
              )
            ).rows
          : [];
      return { knex, preparedOnConnection };
    }

    const namesOf = (knex: Knex, ids: number[]) =>
      prepared(
        whereAnyOf(knex('items').select('id', 'name'), 'id', ids).orderBy('id'),
      ).then(rows => rows.map(row => row.name));

    it('answers a marked read with the values of each run', async () => {
      const { knex } = await oneConnection(true);

      expect(await namesOf(knex, [1])).toEqual(['one']);
      expect(await namesOf(knex, [2, 3])).toEqual(['two', 'three']);
      expect(await namesOf(knex, [3, 1, 2])).toEqual(['one', 'two', 'three']);
      expect(await namesOf(knex, [])).toEqual([]);
    });

    it('keeps answering after a column is added to the table it reads', async () => {
      const { knex } = await oneConnection(true);
      expect(await namesOf(knex, [1])).toEqual(['one']);

      await knex.schema.alterTable('items', table => {
        table.string('label').defaultTo('new');
      });

      expect(await namesOf(knex, [1, 2])).toEqual(['one', 'two']);
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('parses a marked read once per connection, whatever the length of its list', async () => {
        const { knex, preparedOnConnection } = await oneConnection(true);

        for (const ids of [[1], [2, 3], [1, 2, 3], [3]]) {
          await namesOf(knex, ids);
        }
        await knex('items').where({ id: 1 });

        const statements = await preparedOnConnection();
        expect(statements).toHaveLength(1);
        expect(statements[0].statement).toMatch(/"items"/);
        expect(
          Number(statements[0].generic_plans) +
            Number(statements[0].custom_plans),
        ).toBe(4);
      });

      it("parses a marked statement once per connection in transactions too, if each transaction's knex prepares", async () => {
        const { knex, preparedOnConnection } = await oneConnection(true);
        const renamed: string[][] = [];

        for (const [id, name] of [
          [1, 'uno'],
          [2, 'dos'],
        ] as const) {
          await knex.transaction(async tx => {
            prepareMarkedStatements(tx, true);
            await prepared(tx('items').where({ id }).update({ name }));
            renamed.push(await namesOf(tx, [1, 2]));
          });
        }

        expect(renamed).toEqual([
          ['uno', 'two'],
          ['uno', 'dos'],
        ]);
        const statements = (await preparedOnConnection())
          .map((row: { statement: string }) => row.statement)
          .sort();
        expect(statements).toEqual([
          expect.stringMatching(/^select "id", "name"/),
          expect.stringMatching(/^update "items"/),
        ]);
      });

      it('runs a statement prepared in a transaction that was rolled back', async () => {
        const { knex } = await oneConnection(true);
        const rename = (db: Knex, name: string) =>
          prepared(db('items').where({ id: 1 }).update({ name }));

        await expect(
          knex.transaction(async tx => {
            prepareMarkedStatements(tx, true);
            await rename(tx, 'uno');
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        await knex.transaction(async tx => {
          prepareMarkedStatements(tx, true);
          await rename(tx, 'eins');
        });

        expect(await namesOf(knex, [1])).toEqual(['eins']);
      });

      it('leaves how the connection plans its other statements to PostgreSQL', async () => {
        const { knex } = await oneConnection(true);
        await namesOf(knex, [1]);

        const { rows } = await knex.raw('show plan_cache_mode');

        expect(rows[0].plan_cache_mode).toBe('auto');
      });

      it('prepares nothing when prepared statements are turned off', async () => {
        const { knex, preparedOnConnection } = await oneConnection(false);

        expect(await namesOf(knex, [2, 3])).toEqual(['two', 'three']);

        expect(await preparedOnConnection()).toEqual([]);
      });
    }
  },
);
