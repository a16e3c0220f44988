import { Knex } from 'knex';

/**
 * SQL for a JSON array of one object per row of `alias` (with the given
 * columns as keys), `[]` for no rows: the aggregate of a correlated subquery
 * that reads a row's attachments in the row's own statement.
 */
export function jsonArrayOf(
  db: Knex,
  alias: string,
  columns: string[],
): string {
  const pairs = columns.map(column => `'${column}', ${alias}.${column}`);
  return db.client.dialect === 'postgresql'
    ? `coalesce(json_agg(json_build_object(${pairs.join(', ')})), '[]'::json)`
    : `json_group_array(json_object(${pairs.join(', ')}))`;
}

/** A `jsonArrayOf` column as read: JSON text on SQLite, parsed by pg on PostgreSQL. */
export function parsedJson<T>(value: string | T): T {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** Orders rows of a `jsonArrayOf` column by their `seq` (aggregates keep no order). */
export function bySeq(a: { seq: number }, b: { seq: number }): number {
  return a.seq - b.seq;
}

/** JSON text of a `T`, kept as text: an answer passes it on without parsing and serialising it again. */
export type JsonText<T> = string & { readonly jsonOf?: T };

export function parseJsonText<T>(text: JsonText<T>): T {
  return JSON.parse(text);
}
