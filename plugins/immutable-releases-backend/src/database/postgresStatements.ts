import { createHash } from 'crypto';
import { Knex } from 'knex';
import { wrapClientQueries } from './clientQueries';

/** The builder option that marks a statement to prepare. */
const PREPARE = 'immutableReleasesPrepare';

/** Clients already preparing: a knex can back more than one `ReleasesDatabase`. */
const preparing = new WeakSet<object>();

/** Statement names by SQL text: each shape is hashed once. */
const names = new Map<string, string>();

/**
 * Marks a frequent statement to be prepared once per connection on
 * PostgreSQL (see `prepareMarkedStatements`). Only for statements whose
 * text takes a bounded number of shapes (every shape stays prepared for the
 * connection's life), whose plan does not depend on the values bound, since
 * PostgreSQL may keep one generic plan for them, and which name the columns
 * they return.
 */
export function prepared<Builder extends Knex.QueryBuilder | Knex.Raw>(
  builder: Builder,
): Builder {
  return builder.options({ [PREPARE]: true }) as Builder;
}

/**
 * Makes the statements marked with `prepared` named prepared statements on
 * PostgreSQL: planning the environments answer's reads took longer than
 * running them. A statement is named after its SQL text, so each shape is
 * parsed once per connection, and PostgreSQL keeps a generic plan for it
 * once that plan is estimated no costlier than planning each run anew.
 * knex gives each transaction a client of its own: apply this to the
 * transaction's knex too. Elsewhere and when not `enabled`, the mark is an
 * option the drivers ignore.
 */
export function prepareMarkedStatements(knex: Knex, enabled: boolean): void {
  const { client } = knex;
  if (!enabled || client.dialect !== 'postgresql' || preparing.has(client)) {
    return;
  }
  preparing.add(client);
  wrapClientQueries(knex, run => (connection, compiled) => {
    if (!compiled.options?.[PREPARE]) {
      return run(connection, compiled);
    }
    let name = names.get(compiled.sql);
    if (!name) {
      name = statementName(compiled.sql);
      names.set(compiled.sql, name);
    }
    return run(connection, {
      ...compiled,
      options: { ...compiled.options, name },
    });
  });
}

/** Rows a statement may write for `preparedIfFew` to prepare it. */
const FEW_ROWS = 4;

/**
 * `prepared` for a statement of a few rows (`rows` at most `FEW_ROWS`), whose
 * text grows with its rows: a deployment's audit events are one to three, and
 * its chain head one. Longer ones are rare and stay unnamed, so the shapes
 * kept prepared stay few.
 */
export function preparedIfFew<Builder extends Knex.QueryBuilder | Knex.Raw>(
  builder: Builder,
  rows: number,
): Builder {
  return rows <= FEW_ROWS ? prepared(builder) : builder;
}

function statementName(sql: string): string {
  return `immutable_releases_${createHash('sha1')
    .update(sql)
    .digest('hex')
    .slice(0, 32)}`;
}

/**
 * `column IN (values)` with one statement text however many values there
 * are on PostgreSQL (`= ANY` of an array), so that a prepared statement
 * keeps one shape. Elsewhere a plain `IN`.
 */
export function whereAnyOf<Builder extends Knex.QueryBuilder>(
  builder: Builder,
  column: string,
  values: string[] | number[],
): Builder {
  return (
    builder.client.dialect === 'postgresql'
      ? builder.whereRaw('?? = any(?)', [column, values])
      : builder.whereIn(column, values)
  ) as Builder;
}
