import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory, { Knex } from 'knex';

/** Where one benchmark run keeps its data, and how to reach it. */
export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  /** `backend.database` for the Backstage backend. */
  backendConfig: Record<string, unknown>;
  /** A new connection to the plugin's own database (or schema). */
  connectPlugin(): Knex;
  /**
   * A new connection to the database itself (PostgreSQL: its default
   * schema), for a backend whose database service is given this connection.
   */
  connect(): Knex;
  describe: string;
  drop(): Promise<void>;
}

const PLUGIN_ID = 'immutable-releases';

/** A file-backed SQLite database in a new temporary directory, default journal. */
export function createSqliteDatabase(keep: boolean): BenchDatabase {
  const directory = fs.mkdtempSync(
    path.join(os.tmpdir(), 'immutable-releases-bench-'),
  );
  const filename = path.join(directory, `${PLUGIN_ID}.sqlite`);
  const connectFile = () =>
    knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
  return {
    kind: 'sqlite',
    backendConfig: { client: 'better-sqlite3', connection: { directory } },
    // One file per plugin: the plugin's database is the file itself.
    connectPlugin: connectFile,
    connect: connectFile,
    describe: `SQLite file ${filename}`,
    drop: async () => {
      if (!keep) {
        fs.rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A uniquely named database on the PostgreSQL server of `url`; every plugin
 * of the backend gets a schema in it, ours `immutable-releases`.
 */
export async function createPostgresDatabase(
  url: string,
  keep: boolean,
): Promise<BenchDatabase> {
  const name = `immutable_releases_bench_${Date.now()}_${randomBytes(
    3,
  ).toString('hex')}`;
  const server = new URL(url);
  const maintenance = new URL(url);
  if (maintenance.pathname === '' || maintenance.pathname === '/') {
    maintenance.pathname = '/postgres';
  }
  const admin = knexFactory({
    client: 'pg',
    connection: maintenance.toString(),
    pool: { min: 0, max: 1 },
  });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  server.pathname = `/${name}`;
  const connection = server.toString();
  return {
    kind: 'postgres',
    backendConfig: {
      client: 'pg',
      connection,
      pluginDivisionMode: 'schema',
    },
    connectPlugin: () =>
      knexFactory({
        client: 'pg',
        connection,
        searchPath: [PLUGIN_ID],
        pool: { min: 0, max: 10 },
      }),
    connect: () =>
      knexFactory({ client: 'pg', connection, pool: { min: 0, max: 10 } }),
    describe: `PostgreSQL database ${name} on ${server.host}`,
    drop: async () => {
      if (keep) {
        return;
      }
      const dropper = knexFactory({
        client: 'pg',
        connection: maintenance.toString(),
        pool: { min: 0, max: 1 },
      });
      try {
        await dropper.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.destroy();
      }
    },
  };
}
