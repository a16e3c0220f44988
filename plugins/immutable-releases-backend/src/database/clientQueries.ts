import { Knex } from 'knex';

/** A statement as knex hands it to its driver. */
export interface CompiledQuery {
  sql: string;
  options?: Record<string, unknown>;
}

/** Runs one compiled statement on a driver's connection. */
export type RunQuery = (
  connection: unknown,
  query: CompiledQuery,
) => Promise<unknown>;

/**
 * Puts `wrap` between knex and its driver for every statement run with
 * `knex`'s client. A transaction's knex has a client of its own, which this
 * does not reach unless given that knex. `wrap` gets the client's own runner
 * to call.
 */
export function wrapClientQueries(
  knex: Knex,
  wrap: (run: RunQuery) => RunQuery,
): void {
  const client = knex.client as { _query: RunQuery };
  client._query = wrap(client._query.bind(client));
}
