import { Knex } from 'knex';

/** The values a statement is built from: strings, numbers and lists of them. */
export type StatementParams = Record<
  string,
  | string
  | number
  | boolean
  | null
  | undefined
  | ReadonlyArray<string | number | null>
>;

/** Shapes kept per statement and database; the plugin's take far fewer. */
const MAX_SHAPES = 1000;

/** Where a bound value comes from: a parameter (by its position) or the statement itself. */
type Slot = { param: number } | { params: number[] } | { constant: Knex.Value };

interface Compiled {
  sql: Knex.Sql;
  slots: Slot[];
}

/**
 * A string or number that a leaf of the parameters stands for while
 * compiling. A value computed from a marker (a number plus one, a string
 * lower-cased) is no marker of either round, and so is refused.
 */
function marker(round: 0 | 1, index: number, like: string | number) {
  return typeof like === 'number'
    ? (round + 1) * 1e12 + index * 1000 + round * 7
    : `\u0000Marker${round}:${index}`;
}

/**
 * The parameters with each string or number leaf replaced by `replace`'s
 * answer, in order. Lists keep their length and their nulls, and everything
 * else its value.
 */
function mapLeaves(
  params: StatementParams,
  replace: (value: string | number) => string | number,
): StatementParams {
  const mapped: StatementParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') {
      mapped[name] = replace(value);
    } else if (Array.isArray(value)) {
      mapped[name] = value.map(item => (item === null ? null : replace(item)));
    } else {
      mapped[name] = value;
    }
  }
  return mapped;
}

/** The string and number leaves of the parameters, in the order `mapLeaves` visits them. */
function leavesOf(params: StatementParams): Array<string | number> {
  const leaves: Array<string | number> = [];
  mapLeaves(params, value => {
    leaves.push(value);
    return value;
  });
  return leaves;
}

/** What decides the statement's text: which parameters are there, lists' lengths, flags. */
function shapeOf(params: StatementParams): string {
  return JSON.stringify(params, (_key, value) =>
    typeof value === 'string' || typeof value === 'number'
      ? typeof value
      : value,
  );
}

function slotOf(
  first: Knex.Value,
  second: Knex.Value,
  markers: Map<unknown, number>,
): Slot {
  const index = markers.get(first);
  if (index !== undefined && markers.get(second) === index) {
    return { param: index };
  }
  if (
    Array.isArray(first) &&
    Array.isArray(second) &&
    first.length > 0 &&
    first.every(value => markers.has(value))
  ) {
    return { params: first.map(value => markers.get(value)!) };
  }
  if (JSON.stringify(first) === JSON.stringify(second)) {
    return { constant: first };
  }
  throw new Error(
    `a statement binds a value derived from its parameters (${String(
      first,
    )}); bind the parameter itself or make the value part of its shape`,
  );
}

/**
 * A statement that knex compiles once per shape, for the plugin's most
 * frequent statements: compiling the environments answer's read took more of
 * the process than SQLite took to run it.
 *
 * `build` makes the statement from the parameters. Strings and numbers must
 * reach the statement only as bound values, unchanged: the statement is
 * compiled with markers in their place (twice, with different markers, and
 * it is refused if they changed its text or were bound in another form).
 * Which parameters are present, lists' lengths and other values (booleans)
 * make the shape: each shape is compiled once per database.
 */
export function compiledOnce<P extends StatementParams, Result>(
  build: (db: Knex, params: P) => Knex.QueryBuilder | Knex.Raw,
): (db: Knex, params: P) => Promise<Result> {
  const byConfig = new WeakMap<object, Map<string, Compiled>>();

  const compile = (db: Knex, params: P): Compiled => {
    const withMarkers = (round: 0 | 1) => {
      let index = 0;
      return mapLeaves(params, value => marker(round, index++, value)) as P;
    };
    const sql = build(db, withMarkers(0)).toSQL();
    const other = build(db, withMarkers(1)).toSQL();
    if (sql.sql !== other.sql || sql.sql.includes('\u0000')) {
      throw new Error(
        'a parameter changed the text of a statement; it must only be bound',
      );
    }
    const markers = new Map<unknown, number>();
    leavesOf(params).forEach((value, index) => {
      markers.set(marker(0, index, value), index);
      markers.set(marker(1, index, value), index);
    });
    const slots = sql.bindings.map((value, position) =>
      slotOf(value, other.bindings[position], markers),
    );
    return { sql, slots };
  };

  return (db, params) => {
    let shapes = byConfig.get(db.client.config);
    if (!shapes) {
      shapes = new Map();
      byConfig.set(db.client.config, shapes);
    }
    const shape = shapeOf(params);
    let compiled = shapes.get(shape);
    if (!compiled) {
      compiled = compile(db, params);
      if (shapes.size >= MAX_SHAPES) {
        shapes.delete(shapes.keys().next().value!);
      }
      shapes.set(shape, compiled);
    }
    const leaves = leavesOf(params);
    const bindings = compiled.slots.map((slot): Knex.Value => {
      if ('param' in slot) {
        return leaves[slot.param];
      }
      if ('params' in slot) {
        return slot.params.map(index => leaves[index]) as string[] | number[];
      }
      return slot.constant;
    });
    const sql: Knex.Sql = { ...compiled.sql, bindings };
    const builder = db.queryBuilder();
    builder.toSQL = () => sql;
    return builder as unknown as Promise<Result>;
  };
}

/** A row of values, as `columnsOf` takes it. */
type ValueRow = Record<string, string | number | null>;

/**
 * Rows as parameters of a statement: one list per column of the first row,
 * named `prefix` and the column. `rowsOf` makes the rows again inside `build`.
 */
export function columnsOf(
  rows: readonly ValueRow[],
  prefix = '',
): StatementParams {
  const params: StatementParams = {};
  for (const column of Object.keys(rows[0] ?? {})) {
    params[`${prefix}${column}`] = rows.map(row => row[column]);
  }
  return params;
}

/** The rows that `columnsOf` made the parameters named `prefix`… of. */
export function rowsOf(params: StatementParams, prefix = ''): ValueRow[] {
  const columns = Object.keys(params).filter(name => name.startsWith(prefix));
  const lists = columns.map(
    name => params[name] as ReadonlyArray<string | number | null>,
  );
  return (lists[0] ?? []).map((_, index) =>
    Object.fromEntries(
      columns.map((name, c) => [name.slice(prefix.length), lists[c][index]]),
    ),
  );
}
