import { createTestDatabases } from '@internal/test-utils';
import { Knex } from 'knex';
import { columnsOf, compiledOnce, rowsOf } from './compiledStatements';
import { prepared, whereAnyOf } from './postgresStatements';

const databases = createTestDatabases();

interface ItemRow {
  id: number;
  name: string;
}

describe.each(databases.eachSupportedId())(
  'statements compiled once on %p',
  databaseId => {
    async function items() {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('items', table => {
        table.integer('id').primary();
        table.string('name');
        table.string('colour');
      });
      await knex('items').insert([
        { id: 1, name: 'one', colour: 'red' },
        { id: 2, name: 'two', colour: 'blue' },
        { id: 3, name: 'three', colour: 'red' },
        { id: 4, name: 'four', colour: 'blue' },
      ]);
      return knex;
    }

    const itemsOf = compiledOnce<
      { colour?: string; ids?: number[]; below?: number; limit: number },
      ItemRow[]
    >((db, { colour, ids, below, limit }) => {
      const query = db('items').select('id', 'name').orderBy('id', 'desc');
      if (colour !== undefined) {
        query.where({ colour });
      }
      if (ids !== undefined) {
        whereAnyOf(query, 'id', ids);
      }
      if (below !== undefined) {
        query.where('id', '<', below);
      }
      return prepared(query.limit(limit));
    });

    const namesOf = async (knex: Knex, params: Parameters<typeof itemsOf>[1]) =>
      (await itemsOf(knex, params)).map(row => row.name);

    it('answers each run with its own values, in every shape', async () => {
      const knex = await items();

      expect(await namesOf(knex, { colour: 'red', limit: 10 })).toEqual([
        'three',
        'one',
      ]);
      expect(await namesOf(knex, { colour: 'blue', limit: 1 })).toEqual([
        'four',
      ]);
      expect(await namesOf(knex, { limit: 2 })).toEqual(['four', 'three']);
      expect(await namesOf(knex, { ids: [1, 2], limit: 10 })).toEqual([
        'two',
        'one',
      ]);
      expect(await namesOf(knex, { ids: [3, 4], limit: 10 })).toEqual([
        'four',
        'three',
      ]);
      expect(
        await namesOf(knex, { colour: 'blue', below: 4, limit: 10 }),
      ).toEqual(['two']);
      expect(
        await namesOf(knex, { colour: 'red', below: 2, limit: 10 }),
      ).toEqual(['one']);
    });

    it('answers the same as the statement built anew each time', async () => {
      const knex = await items();
      const anew = (colour: string, below: number) =>
        knex('items')
          .select('id', 'name')
          .orderBy('id', 'desc')
          .where({ colour })
          .where('id', '<', below)
          .limit(10);

      for (const [colour, below] of [
        ['red', 4],
        ['blue', 5],
        ['blue', 3],
        ['green', 9],
      ] as const) {
        expect(await itemsOf(knex, { colour, below, limit: 10 })).toEqual(
          await anew(colour, below),
        );
      }
    });

    it('inserts rows given as columns, with their nulls', async () => {
      const knex = await items();
      const insertItems = compiledOnce<ReturnType<typeof columnsOf>, unknown>(
        (db, params) => db('items').insert(rowsOf(params)),
      );

      await insertItems(
        knex,
        columnsOf([
          { id: 5, name: 'five', colour: null },
          { id: 6, name: 'six', colour: 'green' },
        ]),
      );
      await insertItems(
        knex,
        columnsOf([
          { id: 7, name: 'seven', colour: 'green' },
          { id: 8, name: 'eight', colour: null },
        ]),
      );

      expect(
        await knex('items')
          .select('id', 'name', 'colour')
          .where('id', '>', 4)
          .orderBy('id'),
      ).toEqual([
        { id: 5, name: 'five', colour: null },
        { id: 6, name: 'six', colour: 'green' },
        { id: 7, name: 'seven', colour: 'green' },
        { id: 8, name: 'eight', colour: null },
      ]);
    });

    it('refuses a statement that binds a value computed from a parameter', async () => {
      const knex = await items();
      const plusOne = compiledOnce<{ limit: number }, ItemRow[]>(
        (db, { limit }) =>
          db('items')
            .select('id')
            .limit(limit + 1),
      );
      const lowerCased = compiledOnce<{ name: string }, ItemRow[]>(
        (db, { name }) =>
          db('items').select('id').where({ name: name.toLowerCase() }),
      );

      expect(() => plusOne(knex, { limit: 1 })).toThrow(
        /derived from its parameters/,
      );
      expect(() => lowerCased(knex, { name: 'ONE' })).toThrow(
        /derived from its parameters/,
      );
    });

    it('refuses a statement whose text a parameter changed', async () => {
      const knex = await items();
      const inText = compiledOnce<{ column: string }, ItemRow[]>(
        (db, { column }) => db('items').select(column),
      );

      expect(() => inText(knex, { column: 'name' })).toThrow(
        /changed the text of a statement/,
      );
    });
  },
);
