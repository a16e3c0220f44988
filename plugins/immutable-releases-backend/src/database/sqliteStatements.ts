import { Knex } from 'knex';
import { wrapClientQueries } from './clientQueries';

/** Distinct statements kept per connection: the plugin's queries in every shape they take. */
const DEFAULT_CACHE_SIZE = 500;

interface SqliteConnection {
  prepare(sql: string): unknown;
}

/**
 * Makes knex reuse compiled statements on better-sqlite3: knex prepares
 * every statement it runs anew, and compiling the SQL cost about as much as
 * running it on the plugin's reads. Each connection keeps its most recently
 * used statements by their SQL text. A statement reused after the schema
 * changed is compiled again by SQLite itself. Other clients are left alone.
 */
export function reuseSqliteStatements(
  knex: Knex,
  cacheSize = DEFAULT_CACHE_SIZE,
): void {
  if (knex.client.driverName !== 'better-sqlite3') {
    return;
  }
  const caching = new WeakSet<object>();
  wrapClientQueries(knex, run => (connection, compiled) => {
    const sqlite = connection as SqliteConnection;
    if (!caching.has(sqlite)) {
      caching.add(sqlite);
      sqlite.prepare = cachedPrepare(sqlite.prepare.bind(sqlite), cacheSize);
    }
    return run(connection, compiled);
  });
}

/** `prepare` that keeps the `size` most recently used statements. */
function cachedPrepare(
  prepare: (sql: string) => unknown,
  size: number,
): (sql: string) => unknown {
  const statements = new Map<string, unknown>();
  return sql => {
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql);
    } else {
      statement = prepare(sql);
      if (statements.size >= size) {
        statements.delete(statements.keys().next().value!);
      }
    }
    statements.set(sql, statement);
    return statement;
  };
}
