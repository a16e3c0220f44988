import { randomUUID } from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NewDeployment } from '../database/DeploymentStore';
import { parseJsonText } from '../database/jsonColumns';
import { PageRequest } from '../database/pagination';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { NewRelease } from '../database/ReleaseStore';

// better-sqlite3 errors come from another realm once another suite loaded the
// driver in this worker, so `toThrow` would not recognise them as errors.
/** What a refused change to an immutable row throws, on either database. */
export const refusedAsImmutable = {
  message: expect.stringMatching(/immutable/),
};

/** A migrated database on the given id, with its stores. */
export async function createReleasesDatabase(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const knex = await databases.init(databaseId);
  const db = await ReleasesDatabase.fromKnex(knex);
  return { knex, db };
}

/**
 * Runs `use` with the stores on one connection to the database of `knex`
 * (prepared statements belong to a connection), then answers, for each
 * statement prepared on it whose text is `like` the pattern, how many times
 * PostgreSQL ran it with its generic plan.
 */
export async function genericPlansOnOneConnection(
  knex: Knex,
  like: string,
  use: (db: ReleasesDatabase, connection: Knex) => Promise<void>,
): Promise<number[]> {
  const connection = knexFactory({
    ...knex.client.config,
    pool: { min: 1, max: 1 },
  });
  try {
    await use(await ReleasesDatabase.fromKnex(connection), connection);
    const { rows } = await connection.raw(
      'select generic_plans from pg_prepared_statements where statement like ?',
      [like],
    );
    return rows.map((row: { generic_plans: string }) =>
      Number(row.generic_plans),
    );
  } finally {
    await connection.destroy();
  }
}

/** A release of the entity, created now by CI. */
export function releaseFixture(entityRef: string, version: string) {
  return {
    id: randomUUID(),
    entityRef,
    version,
    artifact: {
      type: 'oci-image' as const,
      uri: 'ghcr.io/acme/checkout',
      digest: `sha256:${'c'.repeat(64)}`,
    },
    source: { commit: 'abc123' },
    build: {},
    labels: {},
    createdAt: new Date().toISOString(),
    createdBy: 'ci-pipeline',
  } satisfies NewRelease;
}

/** A promotion of the release to staging, requested at `at`. */
export function deploymentFixture(
  entityRef: string,
  id: string,
  releaseId: string,
  at: string,
) {
  return {
    id,
    entityRef,
    pipeline: 'default',
    environment: 'staging',
    releaseId,
    kind: 'promotion' as const,
    reason: null,
    requestedBy: 'test',
    createdAt: at,
    gates: [],
    overrideReason: null,
  } satisfies NewDeployment;
}

/** A page of the entity's releases as the store answers it, parsed. */
export async function listReleases(
  db: ReleasesDatabase,
  entityRef: string,
  page: PageRequest & { version?: string },
) {
  const { items, nextCursor } = await db.releases.listReleasesAsJson(
    entityRef,
    page,
  );
  return { items: items.map(parseJsonText), nextCursor };
}
