import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-utils';
import { Knex } from 'knex';
import {
  createReleasesDatabase,
  genericPlansOnOneConnection,
  releaseFixture,
} from '../__testUtils__/storeFixtures';
import { environmentKeyId } from './ObservationStore';
import { ReleasesDatabase } from './ReleasesDatabase';

const databases = createTestDatabases();
const ENVIRONMENTS = ['development', 'staging', 'production'];
const ENTITIES = 200;
const DEPLOYMENTS_PER_ENVIRONMENT = 20;

/** Rows that the plan of a statement read from `deployments`, as it ran. */
async function deploymentRowsRead(
  knex: Knex,
  statement: { sql: string; bindings: unknown[] },
): Promise<number> {
  const connection = await knex.client.acquireConnection();
  try {
    const { rows } = await connection.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`,
      statement.bindings,
    );
    let read = 0;
    const visit = (node: Record<string, any>) => {
      if (node['Relation Name'] === 'deployments') {
        read += node['Actual Rows'] * node['Actual Loops'];
      }
      for (const child of node.Plans ?? []) {
        visit(child);
      }
    };
    visit(rows[0]['QUERY PLAN'][0].Plan);
    return read;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

describe.each(
  databases
    .eachSupportedId()
    .filter(([databaseId]) => databaseId.startsWith('POSTGRES')),
)('the latest deployment of many environments on %p', databaseId => {
  /** 200 entities with 20 deployments in each of three environments, the last one pending. */
  async function seedFleet(knex: Knex, db: ReleasesDatabase) {
    const prefix = `component:default/fleet-${randomUUID()}`;
    const entityRefs = Array.from(
      { length: ENTITIES },
      (_, n) => `${prefix}-${String(n).padStart(3, '0')}`,
    );
    const releases = entityRefs.map(ref => releaseFixture(ref, '1.0.0'));
    await db.releases.insertReleases(releases);
    const at = (n: number) =>
      new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
    const rows = releases.flatMap(release =>
      ENVIRONMENTS.flatMap(environment =>
        Array.from({ length: DEPLOYMENTS_PER_ENVIRONMENT }, (_, n) => ({
          id: randomUUID(),
          entity_ref: release.entityRef,
          pipeline: 'default',
          environment,
          release_id: release.id,
          kind: 'promotion',
          status:
            n === DEPLOYMENTS_PER_ENVIRONMENT - 1 ? 'pending' : 'succeeded',
          requested_by: 'test',
          created_at: at(n),
          updated_at: at(n),
          gates: '[]',
        })),
      ),
    );
    for (let start = 0; start < rows.length; start += 500) {
      await knex('deployments').insert(rows.slice(start, start + 500));
    }
    await knex.raw('analyze deployments');
    const keys = entityRefs
      .slice(0, 50)
      .flatMap(entityRef =>
        ENVIRONMENTS.map(environment => ({ entityRef, environment })),
      );
    return { releases, keys };
  }

  it('is read for a page of the fleet in a few rows per environment, however long their histories', async () => {
    const { knex, db } = await createReleasesDatabase(databases, databaseId);
    const { releases, keys } = await seedFleet(knex, db);
    const statements: Array<{ sql: string; bindings: unknown[] }> = [];
    const capture = (query: { sql: string; bindings: unknown[] }) =>
      statements.push(query);
    knex.on('query', capture);

    const summaries = await db.deployments.summarizeEnvironments(keys);
    const current = await db.observations.currentReleases(keys);

    knex.off('query', capture);
    expect(statements).toHaveLength(2);
    const first = environmentKeyId(keys[0]);
    expect(summaries.get(first)).toEqual({
      current: {
        id: releases[0].id,
        version: '1.0.0',
        digest: releases[0].artifact.digest,
      },
      pendingCount: 1,
    });
    expect(current.get(first)).toEqual({
      releaseId: releases[0].id,
      digest: releases[0].artifact.digest,
    });
    // A few index probes per environment: the latest succeeded one (which
    // PostgreSQL looks up twice, for the join and for the answer), that row
    // by its key, and the pending ones. Never the 20 of its history.
    for (const statement of statements) {
      expect(await deploymentRowsRead(knex, statement)).toBeLessThanOrEqual(
        5 * keys.length,
      );
    }
  });

  it('is planned once per connection for pages of any size', async () => {
    const { knex } = await createReleasesDatabase(databases, databaseId);
    const genericPlans = await genericPlansOnOneConnection(
      knex,
      '%unnest(%',
      async (db, connection) => {
        const { keys } = await seedFleet(connection, db);
        for (let run = 0; run < 10; run++) {
          const page = keys.slice(0, keys.length - run * 3);
          await db.deployments.summarizeEnvironments(page);
          await db.observations.currentReleases(page);
        }
      },
    );

    expect(genericPlans).toHaveLength(2);
    for (const plans of genericPlans) {
      expect(plans).toBeGreaterThan(0);
    }
  });
});
