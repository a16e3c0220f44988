import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-utils';
import {
  createReleasesDatabase,
  deploymentFixture,
  genericPlansOnOneConnection,
  releaseFixture,
} from '../__testUtils__/storeFixtures';
import { latch } from '../__testUtils__/latch';
import { ClaimRacedError } from './DeploymentStore';
import { environmentKeyId } from './ObservationStore';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DatabaseDeploymentStore on %p',
  databaseId => {
    // Each test works on an entity of its own, whatever else the database holds.
    let entityRef: string;
    beforeEach(() => {
      entityRef = `component:default/checkout-${randomUUID()}`;
    });

    const createDatabase = () => createReleasesDatabase(databases, databaseId);
    const newRelease = (version: string, forEntity = entityRef) =>
      releaseFixture(forEntity, version);
    const newDeployment = (id: string, releaseId: string, at: string) =>
      deploymentFixture(entityRef, id, releaseId, at);

    it('answers, as it queues a deployment, the ones that waited before it in its environment', async () => {
      const { db } = await createDatabase();
      const releases = ['1.0.0', '1.1.0', '1.2.0', '1.3.0'].map(v =>
        newRelease(v),
      );
      await db.releases.insertReleases(releases);
      const at = '2026-01-01T00:00:00.000Z';
      const transition = { at, actor: 'test', message: '' };
      const enqueue = (releaseIndex: number, environment = 'staging') => {
        const id = randomUUID();
        return db.deployments
          .enqueueDeployment(
            {
              ...newDeployment(id, releases[releaseIndex].id, at),
              environment,
            },
            transition,
          )
          .then(waiting => ({ id, waiting }));
      };
      const started = await enqueue(0);
      await db.deployments.claim(started.id, 'test', at, transition);
      const first = await enqueue(1);
      const second = await enqueue(2);

      const third = await enqueue(3);
      const elsewhere = await enqueue(3, 'production');

      expect(started.waiting).toEqual([]);
      expect(third.waiting).toEqual(
        [first, second].map(({ id }, n) => ({
          id,
          entityRef,
          environment: 'staging',
          releaseId: releases[n + 1].id,
          kind: 'promotion',
          release: { version: releases[n + 1].version },
        })),
      );
      expect(elsewhere.waiting).toEqual([]);
      expect(
        (
          await db.deployments.listPending({
            entityRef,
            environment: 'staging',
          })
        ).map(deployment => deployment.id),
      ).toEqual([first.id, second.id, third.id]);
    });

    it('lists the pending deployments of many environments at once, only of the environments asked for', async () => {
      const { db } = await createDatabase();
      const other = `component:default/payments-${randomUUID()}`;
      const [ours, theirs] = [newRelease('1.0.0'), newRelease('1.0.0', other)];
      await db.releases.insertReleases([ours, theirs]);
      const at = '2026-01-01T00:00:00.000Z';
      const request = async (
        release: typeof ours,
        environment: string,
        claimed = false,
      ) => {
        const id = randomUUID();
        await db.deployments.insertDeployment(
          {
            ...deploymentFixture(release.entityRef, id, release.id, at),
            environment,
          },
          { at, actor: 'test', message: '' },
        );
        if (claimed) {
          await db.deployments.claim(id, 'test', at, {
            at,
            actor: 'test',
            message: '',
          });
        }
        return id;
      };
      await request(ours, 'staging', true);
      const ourStaging = [
        await request(ours, 'staging'),
        await request(ours, 'staging'),
      ];
      // Asked for neither: our production, their staging.
      await request(ours, 'production');
      await request(theirs, 'staging');
      const theirProduction = await request(theirs, 'production');

      const pending = await db.deployments.listPendingIn([
        { entityRef, environment: 'staging' },
        { entityRef: other, environment: 'production' },
        { entityRef, environment: 'development' },
      ]);

      expect(
        [...pending].map(([key, deployments]) => [
          key,
          deployments.map(d => [d.id, d.status, d.pipeline]),
        ]),
      ).toEqual([
        [
          environmentKeyId({ entityRef, environment: 'staging' }),
          ourStaging.map(id => [id, 'pending', 'default']),
        ],
        [
          environmentKeyId({ entityRef: other, environment: 'production' }),
          [[theirProduction, 'pending', 'default']],
        ],
      ]);
    });

    it('describes each environment: the latest success is current, the latest start and the pending ones', async () => {
      const { db } = await createDatabase();
      const minute = (n: number) =>
        new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
      const releases = [
        '1.0.0',
        '1.1.0',
        '1.2.0',
        '1.3.0',
        '1.4.0',
        '1.5.0',
      ].map(v => newRelease(v));
      await db.releases.insertReleases(releases);
      const request = async (
        release: (typeof releases)[number],
        at: number,
      ) => {
        const id = randomUUID();
        await db.deployments.insertDeployment(
          newDeployment(id, release.id, minute(at)),
          { at: minute(at), actor: 'test', message: '' },
        );
        return id;
      };
      const run = async (
        id: string,
        outcome: 'succeeded' | 'failed',
        at: number,
      ) => {
        const transition = { at: minute(at), actor: 'test', message: '' };
        expect(
          await db.deployments.claim(id, 'test', minute(at + 60), transition),
        ).toBe(true);
        expect(
          await db.deployments.changeStatus(id, {
            ...transition,
            from: ['running'],
            to: outcome,
          }),
        ).toBe(true);
        return id;
      };
      await run(await request(releases[0], 1), 'succeeded', 1);
      // Requested before 1.2.0 but succeeded after it: the latest to succeed is current.
      const requestedEarly = await request(releases[1], 2);
      await run(await request(releases[2], 3), 'succeeded', 3);
      const current = await run(requestedEarly, 'succeeded', 4);
      const failed = await run(await request(releases[3], 5), 'failed', 5);
      const waiting = [
        await request(releases[4], 6),
        await request(releases[5], 7),
      ];

      const staging = { entityRef, environment: 'staging' };
      const production = { entityRef, environment: 'production' };
      const described = await db.deployments.describeEnvironments([
        staging,
        production,
      ]);

      const stagingNow = described.get(environmentKeyId(staging))!;
      expect(stagingNow.current?.id).toBe(current);
      expect(stagingNow.current?.release.version).toBe('1.1.0');
      expect(stagingNow.latestStarted?.id).toBe(failed);
      expect(stagingNow.latestStarted?.transitions.map(t => t.status)).toEqual([
        'pending',
        'running',
        'failed',
      ]);
      expect(stagingNow.pending.map(d => d.id)).toEqual(waiting);
      expect(described.get(environmentKeyId(production))).toEqual({
        pending: [],
      });
      const currentReleases = await db.observations.currentReleases([
        staging,
        production,
      ]);
      expect(currentReleases.get(environmentKeyId(staging))).toEqual({
        releaseId: releases[1].id,
        digest: releases[1].artifact.digest,
      });
      expect(currentReleases.has(environmentKeyId(production))).toBe(false);
    });

    it('describes only the environments asked for when they span entities', async () => {
      const { db } = await createDatabase();
      const other = `component:default/payments-${randomUUID()}`;
      const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
      const pending = new Map<string, string>();
      for (const ref of [entityRef, other]) {
        const release = newRelease('1.0.0', ref);
        await db.releases.insertReleases([release]);
        for (const environment of ['staging', 'production']) {
          const id = randomUUID();
          await db.deployments.insertDeployment(
            {
              ...deploymentFixture(ref, id, release.id, at),
              environment,
            },
            { at, actor: 'test', message: '' },
          );
          pending.set(environmentKeyId({ entityRef: ref, environment }), id);
        }
      }
      const keys = [
        { entityRef, environment: 'staging' },
        { entityRef: other, environment: 'production' },
      ];

      const described = await db.deployments.describeEnvironments(keys);

      expect(
        [...described].map(([key, environment]) => [
          key,
          environment.pending.map(deployment => deployment.id),
        ]),
      ).toEqual(
        keys.map(key => [
          environmentKeyId(key),
          [pending.get(environmentKeyId(key))],
        ]),
      );
    });

    it('claims a deployment with its audit event once; a second claim writes nothing', async () => {
      const { db } = await createDatabase();
      const release = newRelease('1.0.0');
      await db.releases.insertRelease(release);
      const at = new Date().toISOString();
      const id = randomUUID();
      await db.deployments.insertDeployment(newDeployment(id, release.id, at), {
        at,
        actor: 'test',
        message: 'requested',
      });
      const runningEvent = () => [
        {
          id: randomUUID(),
          type: 'deployment.running',
          entityRef,
          environment: 'staging',
          releaseId: release.id,
          deploymentId: id,
          actor: 'engine',
          at,
          details: {},
        },
      ];
      const transition = { at, actor: 'engine', message: 'started' };

      expect(
        await db.deployments.claim(id, 'a', at, transition, runningEvent()),
      ).toBe(true);
      expect(
        await db.deployments.claim(id, 'b', at, transition, runningEvent()),
      ).toBe(false);

      const events = await db.events.listEvents(entityRef, { limit: 10 });
      expect(events.items.map(e => e.type)).toEqual(['deployment.running']);
      const deployment = await db.deployments.getDeployment(id);
      expect(deployment?.transitions.map(t => t.status)).toEqual([
        'pending',
        'running',
      ]);
    });

    /** Two deployments of the same release to staging, pending. */
    async function twoPending() {
      const setUp = await createDatabase();
      const release = newRelease('1.0.0');
      await setUp.db.releases.insertRelease(release);
      const at = new Date().toISOString();
      const ids = [randomUUID(), randomUUID()];
      for (const id of ids) {
        await setUp.db.deployments.insertDeployment(
          newDeployment(id, release.id, at),
          { at, actor: 'test', message: 'requested' },
        );
      }
      const transition = { at, actor: 'engine', message: 'started' };
      return { ...setUp, ids, at, transition };
    }

    it('answers false, without an error, to a claim of an environment a committed deployment occupies', async () => {
      const { db, ids, at, transition } = await twoPending();
      expect(await db.deployments.claim(ids[0], 'a', at, transition)).toBe(
        true,
      );

      const second = await db.transaction(stores =>
        stores.deployments.claimInTransaction(ids[1], 'b', at, transition),
      );

      expect(second).toBe(false);
      const statuses = await Promise.all(
        ids.map(async id => (await db.deployments.getDeployment(id))?.status),
      );
      expect(statuses).toEqual(['running', 'pending']);
    });

    it("claims a revoked release's deployment in the caller's transaction never, and on its own for the runner to fail it", async () => {
      const { db, ids, at, transition } = await twoPending();
      const { releaseId } = (await db.deployments.getDeployment(ids[0]))!;
      await db.releases.revoke(releaseId, {
        reason: 'CVE',
        revokedAt: at,
        revokedBy: 'security',
      });

      const inTransaction = await db.transaction(stores =>
        stores.deployments.claimInTransaction(ids[0], 'a', at, transition),
      );
      expect(inTransaction).toBe(false);
      expect((await db.deployments.getDeployment(ids[0]))?.status).toBe(
        'pending',
      );

      expect(await db.deployments.claim(ids[0], 'a', at, transition)).toBe(
        true,
      );
      expect((await db.deployments.getDeployment(ids[0]))?.status).toBe(
        'running',
      );
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('fails a claim in a transaction with ClaimRacedError when another claim of the environment commits first', async () => {
        const { db, ids, at, transition } = await twoPending();
        const firstMayCommit = latch();
        const firstHasClaimed = latch();
        const first = db.transaction(async stores => {
          const claimed = await stores.deployments.claimInTransaction(
            ids[0],
            'a',
            at,
            transition,
          );
          firstHasClaimed.open();
          await firstMayCommit.opened;
          return claimed;
        });
        await firstHasClaimed.opened;

        const second = db.transaction(stores =>
          stores.deployments.claimInTransaction(ids[1], 'b', at, transition),
        );
        // The second claim waits on the unique index for the first to end.
        await new Promise(resolve => setTimeout(resolve, 200));
        firstMayCommit.open();

        expect(await first).toBe(true);
        await expect(second).rejects.toBeInstanceOf(ClaimRacedError);
        const statuses = await Promise.all(
          ids.map(async id => (await db.deployments.getDeployment(id))?.status),
        );
        expect(statuses).toEqual(['running', 'pending']);
      });

      it("plans the reads of an environment's queue once per connection, however many deployments ended there", async () => {
        const { knex } = await createDatabase();
        const genericPlans = await genericPlansOnOneConnection(
          knex,
          '%order by "d"."seq" asc',
          async (db, connection) => {
            const [release] = [newRelease('1.0.0')];
            await db.releases.insertReleases([release]);
            const at = '2026-01-01T00:00:00.000Z';
            const transition = { at, actor: 'test', message: '' };
            const ended = Array.from({ length: 300 }, () => randomUUID());
            for (const id of ended) {
              await db.deployments.insertDeployment(
                newDeployment(id, release.id, at),
                transition,
              );
            }
            await connection('deployments')
              .whereIn('id', ended)
              .update({ status: 'succeeded' });
            await connection.raw('analyze deployments');
            const staging = { entityRef, environment: 'staging' };

            for (let run = 0; run < 10; run++) {
              await db.deployments.listPending(staging);
              await db.transaction(stores =>
                stores.deployments.enqueueDeployment(
                  newDeployment(randomUUID(), release.id, at),
                  transition,
                ),
              );
            }
          },
        );

        expect(genericPlans).toHaveLength(2);
        for (const plans of genericPlans) {
          expect(plans).toBeGreaterThan(0);
        }
      });
    }
  },
);
