import { randomUUID } from 'node:crypto';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import fs from 'node:fs';
import path from 'node:path';
import { latch } from '../__testUtils__/latch';
import { deploymentFixture } from '../__testUtils__/storeFixtures';
import { eventually, TEST_ENTITY_REF } from '../__testUtils__/testEngine';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import {
  describePromotionScenarios,
  ALICE,
  configWith,
  releaseRequest,
} from '../__testUtils__/promotionScenario';

jest.setTimeout(60_000);

/** `count` deployments, none of them still pending or running. */
const allEnded = (count: number) => (items: Deployment[]) =>
  items.length === count &&
  items.every(d => !['pending', 'running'].includes(d.status));

describePromotionScenarios(
  'deployment queues',
  ({ setUp, deploy, knex, databaseId }) => {
    it('supersedes older pending promotions with newest-wins, and runs all of them with fifo', async () => {
      // The first deployment runs until the next two have been requested.
      for (const queue of ['newest-wins', 'fifo']) {
        const hold = path.join(deploy.dir, `hold-${queue}`);
        process.env.DEPLOY_HOLD_FILE = hold;
        try {
          const { engine } = await setUp(
            configWith(deploy.script, 'development', {}, queue),
          );
          const prefix = queue === 'fifo' ? '2' : '1';
          const deploymentsOfQueue = async () =>
            (
              await engine.history.listDeployments(TEST_ENTITY_REF, {
                environment: 'development',
              })
            ).items.filter(d => d.release.version.startsWith(`${prefix}.`));
          for (const patch of [0, 1, 2]) {
            await engine.registry.register(
              releaseRequest(`${prefix}.0.${patch}`),
              'ci-pipeline',
            );
            if (patch === 0) {
              await eventually(
                deploymentsOfQueue,
                items => items[0]?.status === 'running',
                `the first deployment of the ${queue} queue to run`,
              );
            }
          }
          fs.writeFileSync(hold, '');
          const deployments = await eventually(
            deploymentsOfQueue,
            allEnded(3),
            `${queue} queue`,
          );
          const statusOf = Object.fromEntries(
            deployments.map(d => [d.release.version, d.status]),
          );
          expect(statusOf).toEqual(
            queue === 'fifo'
              ? {
                  '2.0.0': 'succeeded',
                  '2.0.1': 'succeeded',
                  '2.0.2': 'succeeded',
                }
              : {
                  '1.0.0': 'succeeded',
                  '1.0.1': 'superseded',
                  '1.0.2': 'succeeded',
                },
          );
          await engine.runner.whenIdle();
        } finally {
          // Lets a held deploy command finish even when the test failed early.
          fs.writeFileSync(hold, '');
          delete process.env.DEPLOY_HOLD_FILE;
        }
      }
    });

    it('starts a deployment alone in its queue as it was stored, in the transaction that queued it', async () => {
      const { engine, register, finished } = await setUp(
        configWith(deploy.script, 'staging', {}),
      );
      const release = await register('1.0.0');
      const begin = jest.spyOn(engine.runner, 'begin');
      const { deployment } = await engine.promotions.promote(
        {
          entityRef: TEST_ENTITY_REF,
          releaseId: release.id,
          environment: 'staging',
          reason: 'weekly train',
        },
        ALICE,
      );
      const stored = await finished(deployment!.id);

      expect(stored.status).toBe('succeeded');
      expect(begin).toHaveBeenCalledTimes(1);
      // What a read in that transaction would have answered: the request alone.
      expect(begin.mock.calls[0][0].deployment).toEqual({
        ...stored,
        status: 'pending',
        updatedAt: stored.createdAt,
        transitions: stored.transitions.slice(0, 1),
        executor: null,
      });
      expect(stored.transitions.map(t => t.status)).toEqual([
        'pending',
        'running',
        'succeeded',
      ]);
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('queues a promotion whose claim raced another for its environment, to wait its turn', async () => {
        const { engine, register } = await setUp(
          configWith(deploy.script, 'staging', {}),
        );
        const [racing, promoted] = [
          await register('1.0.0'),
          await register('1.1.0'),
        ];
        // Another replica's request: queued and claimed, not yet committed.
        const replica = await ReleasesDatabase.fromKnex(knex());
        const replicaMayCommit = latch();
        const replicaHasClaimed = latch();
        const racingId = randomUUID();
        const at = new Date().toISOString();
        const replicaRequest = replica.transaction(async stores => {
          await stores.deployments.insertDeployment(
            {
              ...deploymentFixture(TEST_ENTITY_REF, racingId, racing.id, at),
              environment: 'staging',
            },
            { at, actor: 'replica', message: 'requested' },
          );
          await stores.deployments.claimInTransaction(racingId, 'replica', at, {
            at,
            actor: 'replica',
            message: 'started',
          });
          replicaHasClaimed.open();
          await replicaMayCommit.opened;
        });
        await replicaHasClaimed.opened;

        const promotion = engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: promoted.id,
            environment: 'staging',
          },
          ALICE,
        );
        // The promotion's claim waits on the unique index for the replica's.
        await new Promise(resolve => setTimeout(resolve, 300));
        replicaMayCommit.open();
        await replicaRequest;

        const { deployment } = await promotion;
        expect(deployment?.status).toBe('pending');
        expect(
          (await engine.history.getDeployment(deployment!.id)).transitions.map(
            t => t.status,
          ),
        ).toEqual(['pending']);
        expect((await engine.history.getDeployment(racingId)).status).toBe(
          'running',
        );
      });
    }

    it('fails a waiting deployment whose release was revoked before its turn came', async () => {
      const hold = path.join(deploy.dir, 'hold-revoked');
      process.env.DEPLOY_HOLD_FILE = hold;
      try {
        const { engine } = await setUp(
          configWith(deploy.script, 'development', {}),
        );
        const development = async () =>
          (
            await engine.history.listDeployments(TEST_ENTITY_REF, {
              environment: 'development',
            })
          ).items;
        await engine.registry.register(releaseRequest('3.0.0'), 'ci-pipeline');
        await eventually(
          development,
          items => items[0]?.status === 'running',
          'the first deployment to run',
        );
        const { release } = await engine.registry.register(
          releaseRequest('3.0.1'),
          'ci-pipeline',
        );
        await engine.registry.revoke(release.id, 'CVE', 'security');
        fs.writeFileSync(hold, '');

        const deployments = await eventually(
          development,
          allEnded(2),
          'both deployments to end',
        );

        const waited = deployments.find(d => d.release.version === '3.0.1')!;
        expect(waited.status).toBe('failed');
        expect(waited.transitions.at(-1)?.message).toBe(
          'release 3.0.1 was revoked before the deployment started',
        );
        await engine.runner.whenIdle();
      } finally {
        fs.writeFileSync(hold, '');
        delete process.env.DEPLOY_HOLD_FILE;
      }
    });

    it('cancels a pending deployment but not a finished one', async () => {
      const { engine, register, finished } = await setUp(
        configWith(deploy.script, 'staging', { approvals: { required: 1 } }),
      );
      const release = await register('1.0.0');
      const { deployment } = await engine.promotions.promote(
        {
          entityRef: TEST_ENTITY_REF,
          releaseId: release.id,
          environment: 'staging',
        },
        ALICE,
      );
      const cancelled = await engine.queue.cancel(
        deployment!.id,
        'wrong release',
        'user:default/alice',
      );
      expect(cancelled.status).toBe('cancelled');
      expect(
        (await finished(deployment!.id)).transitions.map(t => t.status),
      ).toEqual(['pending', 'cancelled']);
      await expect(
        engine.queue.cancel(deployment!.id, undefined, 'user:default/alice'),
      ).rejects.toThrow('only a pending deployment can be cancelled');
    });
  },
);
