import { randomUUID } from 'node:crypto';
import { DeploymentKind } from 'backstage-plugin-immutable-releases-common';
import { createTestDatabases } from '@internal/test-utils';
import {
  createTestEngine,
  digestOf,
  pipelineConfig,
  TEST_ENTITY_REF,
} from '../__testUtils__/testEngine';
import { ReleasesDatabase } from '../database/ReleasesDatabase';

const databases = createTestDatabases();
const NOW = new Date('2026-03-31T00:00:00.000Z');

/** Inserts a release through the store, with the given creation and commit times. */
async function release(
  db: ReleasesDatabase,
  version: string,
  createdAt: string,
  committedAt?: string,
) {
  const id = randomUUID();
  await db.releases.insertRelease({
    id,
    entityRef: TEST_ENTITY_REF,
    version,
    artifact: {
      type: 'oci-image',
      uri: 'ghcr.io/acme/checkout',
      digest: digestOf(version),
    },
    source: committedAt ? { commit: version, committedAt } : {},
    build: {},
    labels: {},
    createdAt,
    createdBy: 'ci',
  });
  return id;
}

/** A deployment that went pending → running → `outcome`, at the given times. */
async function deployment(
  db: ReleasesDatabase,
  options: {
    releaseId: string;
    environment?: string;
    kind?: DeploymentKind;
    requestedAt: string;
    finishedAt: string;
    outcome: 'succeeded' | 'failed' | 'cancelled';
  },
) {
  const id = randomUUID();
  const actor = 'ci';
  await db.deployments.insertDeployment(
    {
      id,
      entityRef: TEST_ENTITY_REF,
      pipeline: 'default',
      environment: options.environment ?? 'production',
      releaseId: options.releaseId,
      kind: options.kind ?? 'promotion',
      reason: null,
      requestedBy: actor,
      createdAt: options.requestedAt,
      gates: [],
      overrideReason: null,
    },
    { at: options.requestedAt, actor, message: 'requested' },
  );
  if (options.outcome !== 'cancelled') {
    await db.deployments.changeStatus(id, {
      from: ['pending'],
      to: 'running',
      at: options.requestedAt,
      actor,
      message: 'running',
    });
  }
  await db.deployments.changeStatus(id, {
    from: ['pending', 'running'],
    to: options.outcome,
    at: options.finishedAt,
    actor,
    message: options.outcome,
  });
}

describe.each(databases.eachSupportedId())(
  'delivery metrics on %p',
  databaseId => {
    async function engineWithHistory() {
      const engine = await createTestEngine({
        knex: await databases.init(databaseId),
        config: pipelineConfig('unused.js'),
        clock: () => NOW,
      });
      const { db } = engine;
      const r0 = await release(db, '0.9.0', '2026-01-01T00:00:00.000Z');
      const r1 = await release(
        db,
        '1.0.0',
        '2026-03-01T01:00:00.000Z',
        '2026-03-01T00:00:00.000Z',
      );
      const r2 = await release(db, '1.1.0', '2026-03-10T00:00:00.000Z');
      const r3 = await release(
        db,
        '1.2.0',
        '2026-03-20T02:00:00.000Z',
        '2026-03-20T00:00:00.000Z',
      );
      // Before the 30-day window: not counted.
      await deployment(db, {
        releaseId: r0,
        requestedAt: '2026-02-15T00:00:00.000Z',
        finishedAt: '2026-02-15T01:00:00.000Z',
        outcome: 'failed',
      });
      // Lead time 26 h (from the commit).
      await deployment(db, {
        releaseId: r1,
        requestedAt: '2026-03-02T00:00:00.000Z',
        finishedAt: '2026-03-02T02:00:00.000Z',
        outcome: 'succeeded',
      });
      // A failure, restored 3 h later by the next success (lead time 28 h from creation).
      await deployment(db, {
        releaseId: r2,
        requestedAt: '2026-03-11T00:00:00.000Z',
        finishedAt: '2026-03-11T01:00:00.000Z',
        outcome: 'failed',
      });
      await deployment(db, {
        releaseId: r2,
        requestedAt: '2026-03-11T02:00:00.000Z',
        finishedAt: '2026-03-11T04:00:00.000Z',
        outcome: 'succeeded',
      });
      // Lead time 24 h (from the commit).
      await deployment(db, {
        releaseId: r3,
        requestedAt: '2026-03-20T23:00:00.000Z',
        finishedAt: '2026-03-21T00:00:00.000Z',
        outcome: 'succeeded',
      });
      // A rollback: a change failure, restored in 30 minutes; no lead time.
      await deployment(db, {
        releaseId: r2,
        kind: 'rollback',
        requestedAt: '2026-03-22T00:00:00.000Z',
        finishedAt: '2026-03-22T00:30:00.000Z',
        outcome: 'succeeded',
      });
      // Never executed: not counted.
      await deployment(db, {
        releaseId: r3,
        requestedAt: '2026-03-23T00:00:00.000Z',
        finishedAt: '2026-03-23T00:10:00.000Z',
        outcome: 'cancelled',
      });
      // Another environment: not counted for production.
      await deployment(db, {
        releaseId: r3,
        environment: 'staging',
        requestedAt: '2026-03-20T03:00:00.000Z',
        finishedAt: '2026-03-20T04:00:00.000Z',
        outcome: 'failed',
      });
      return engine;
    }

    it('computes the four figures of the last environment over 30 days from a known history', async () => {
      const engine = await engineWithHistory();
      expect(await engine.metrics.compute(TEST_ENTITY_REF, {})).toEqual({
        environment: 'production',
        days: 30,
        deploymentFrequency: 4 / 30,
        leadTimeSeconds: { p50: 26 * 3600, p90: 28 * 3600 },
        changeFailureRate: 2 / 5,
        timeToRestoreSeconds: { p50: 1800 },
      });
      expect(
        await engine.metrics.compute(TEST_ENTITY_REF, {
          environment: 'staging',
        }),
      ).toEqual({
        environment: 'staging',
        days: 30,
        deploymentFrequency: 0,
        leadTimeSeconds: { p50: null, p90: null },
        changeFailureRate: 1,
        timeToRestoreSeconds: { p50: null },
      });
    });

    it('answers nulls for a window without deployments and refuses a bad environment or window', async () => {
      const engine = await engineWithHistory();
      expect(
        await engine.metrics.compute(TEST_ENTITY_REF, {
          environment: 'production',
          days: 7,
        }),
      ).toEqual({
        environment: 'production',
        days: 7,
        deploymentFrequency: 0,
        leadTimeSeconds: { p50: null, p90: null },
        changeFailureRate: null,
        timeToRestoreSeconds: { p50: null },
      });
      await expect(
        engine.metrics.compute(TEST_ENTITY_REF, { environment: 'qa' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining("environment 'qa'"),
      });
      await expect(
        engine.metrics.compute(TEST_ENTITY_REF, { days: 366 }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^days must be/),
      });
    });
  },
);
