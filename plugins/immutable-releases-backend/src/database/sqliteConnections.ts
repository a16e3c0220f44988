import { Knex } from 'knex';
import { wrapClientQueries } from './clientQueries';
import {
  BackgroundCheckpoints,
  FOREGROUND_CHECKPOINT_PAGES,
} from './sqliteCheckpoints';

/** Clients already tuned: a knex can back more than one `ReleasesDatabase`. */
const tunedClients = new WeakSet<object>();

/** Distinct statements kept per connection: the plugin's queries in every shape they take. */
const DEFAULT_CACHE_SIZE = 500;

interface SqliteConnection {
  prepare(sql: string): unknown;
  pragma(source: string): unknown;
  readonly name: string;
  readonly memory: boolean;
}

/**
 * Sets up each better-sqlite3 connection the first time knex runs a
 * statement on it outside a transaction. Other clients are left alone.
 *
 * - Compiled statements are reused: knex prepares every statement it runs
 *   anew, and compiling the SQL cost about as much as running it on the
 *   plugin's reads. Each connection keeps its most recently used statements
 *   by their SQL text; SQLite compiles one again by itself after the schema
 *   changed.
 * - A file database is written ahead (`journal_mode = WAL`) and a commit does
 *   not wait for the disk (`synchronous = NORMAL`): with the default rollback
 *   journal, each commit waited for the disk about 1.6 ms with the whole
 *   backend blocked, since better-sqlite3 runs synchronously. A commit then
 *   survives the process crashing, not the machine losing power; the
 *   database stays intact either way. An in-memory database keeps its own
 *   journal.
 * - A file database's log is copied back into it from a thread of its own
 *   (`BackgroundCheckpoints`), which stops when `knex` is destroyed; a
 *   writing connection checkpoints only if that thread falls far behind.
 */
export function tuneSqliteConnections(
  knex: Knex,
  statementCacheSize = DEFAULT_CACHE_SIZE,
): void {
  if (
    knex.client.driverName !== 'better-sqlite3' ||
    tunedClients.has(knex.client)
  ) {
    return;
  }
  tunedClients.add(knex.client);
  const tuned = new WeakSet<object>();
  let checkpoints: BackgroundCheckpoints | undefined;
  const client = knex.client as { destroy(...args: unknown[]): unknown };
  const destroy = client.destroy.bind(client);
  client.destroy = async (...args: unknown[]) => {
    const stopping = checkpoints;
    checkpoints = undefined;
    await stopping?.stop();
    return destroy(...args);
  };
  wrapClientQueries(knex, run => (connection, compiled) => {
    const sqlite = connection as SqliteConnection;
    if (!tuned.has(sqlite)) {
      tuned.add(sqlite);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      if (!sqlite.memory) {
        sqlite.pragma(`wal_autocheckpoint = ${FOREGROUND_CHECKPOINT_PAGES}`);
        checkpoints ??= BackgroundCheckpoints.start(sqlite.name);
      }
      sqlite.prepare = cachedPrepare(
        sqlite.prepare.bind(sqlite),
        statementCacheSize,
      );
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
