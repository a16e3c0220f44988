import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { Knex } from 'knex';
import { createTestDatabases } from '@internal/test-databases';
import {
  createTestEngine,
  digestOf,
  eventually,
  pipelineConfig,
  readDeployLog,
  TEST_ENTITY_REF,
  writeDeployScript,
} from '../__testUtils__/testEngine';
import { GatesFailedError } from './PromotionRequests';

const databases = createTestDatabases();
const ALICE = { actor: 'user:default/alice', isUser: true };
const BOB = { actor: 'user:default/bob', isUser: true };
const CAROL = { actor: 'user:default/carol', isUser: true };
const CI = { actor: 'ci-pipeline', isUser: false };

jest.setTimeout(60_000);

function releaseRequest(version: string) {
  return {
    entityRef: TEST_ENTITY_REF,
    version,
    artifact: {
      type: 'oci-image' as const,
      uri: 'ghcr.io/acme/checkout',
      digest: digestOf(version),
    },
    checks: [
      { name: 'unit-tests', status: 'passed' as const },
      { name: 'security-scan', status: 'passed' as const },
    ],
  };
}

/** The demo pipeline with one environment's definition changed. */
function configWith(
  script: string,
  environment: string,
  changes: Record<string, unknown>,
  queue?: string,
) {
  const config = pipelineConfig(script);
  const pipeline = config.immutableReleases.pipelines.default as any;
  pipeline.environments = pipeline.environments.map((e: any) =>
    e.name === environment ? { ...e, ...changes } : e,
  );
  if (queue) {
    pipeline.queue = queue;
  }
  return config;
}

describe.each(databases.eachSupportedId())(
  'promotion gates on %p',
  databaseId => {
    let knex: Knex;
    const deploy = writeDeployScript();

    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });

    async function setUp(config: object, clock?: () => Date) {
      const engine = await createTestEngine({ knex, config, clock });
      const current = async (environment: string) =>
        (await engine.environments.describe(TEST_ENTITY_REF)).environments.find(
          e => e.name === environment,
        )?.currentRelease?.version ?? null;
      const register = async (version: string) => {
        const { release } = await engine.registry.register(
          releaseRequest(version),
          'ci-pipeline',
        );
        await eventually(
          () => current('development'),
          v => v === version,
          `${version} in development`,
        );
        return release;
      };
      const finished = (id: string) =>
        eventually(
          () => engine.history.getDeployment(id),
          d =>
            [
              'succeeded',
              'failed',
              'rejected',
              'cancelled',
              'superseded',
            ].includes(d.status),
          `deployment ${id}`,
        );
      return { engine, current, register, finished };
    }

    /** Staging takes each release automatically once it has soaked 10 minutes in development. */
    function setUpSoakedAutoPromotion(clock: () => Date) {
      return setUp(
        configWith(deploy.script, 'staging', {
          soakTime: { minutes: 10 },
          autoPromote: true,
        }),
        clock,
      );
    }

    it('holds a promotion until the release has soaked upstream, and says when it will pass', async () => {
      let now = Date.parse('2026-11-20T10:00:00Z');
      const { engine, register } = await setUp(
        configWith(deploy.script, 'staging', { soakTime: { minutes: 10 } }),
        () => new Date(now),
      );
      const release = await register('1.0.0');
      const request = {
        entityRef: TEST_ENTITY_REF,
        releaseId: release.id,
        environment: 'staging',
      };

      now += 4 * 60_000;
      const refusal = (await engine.promotions
        .promote(request, ALICE)
        .catch(e => e)) as GatesFailedError;
      expect(refusal).toBeInstanceOf(GatesFailedError);
      const soak = refusal.gates.find(g => g.name === 'soak-time')!;
      expect(soak.passed).toBe(false);
      expect(soak.message).toMatch(
        /soaked in development for 4 minutes of 10 minutes; passes at 2026-11-20T10:10:00/,
      );

      now += 7 * 60_000;
      const { deployment } = await engine.promotions.promote(request, ALICE);
      expect(deployment?.gates.find(g => g.name === 'soak-time')?.passed).toBe(
        true,
      );
    });

    it('retries an automatic promotion blocked only by soak time once the soak time has passed', async () => {
      let now = Date.parse('2026-11-20T10:00:00Z');
      const { engine, register, current } = await setUpSoakedAutoPromotion(
        () => new Date(now),
      );
      const stagingDeployments = async () =>
        (
          await engine.history.listDeployments(TEST_ENTITY_REF, {
            environment: 'staging',
          })
        ).items;
      await register('1.0.0');
      const blocked = await eventually(
        async () =>
          (
            await engine.history.listEvents(TEST_ENTITY_REF, {})
          ).items.find(e => e.type === 'promotion.blocked'),
        e => e !== undefined,
        'the blocked automatic promotion',
      );
      expect(blocked?.details).toMatchObject({
        retryAt: '2026-11-20T10:10:00.000Z',
      });

      now += 9 * 60_000;
      await engine.automaticPromotions.runScheduledPromotions();
      expect(await stagingDeployments()).toEqual([]);

      now += 2 * 60_000;
      await Promise.all([
        engine.automaticPromotions.runScheduledPromotions(),
        engine.automaticPromotions.runScheduledPromotions(),
      ]);
      await eventually(
        () => current('staging'),
        version => version === '1.0.0',
        '1.0.0 in staging',
      );
      const deployments = await stagingDeployments();
      expect(deployments).toHaveLength(1);
      expect(deployments[0]).toMatchObject({
        requestedBy: 'plugin:immutable-releases',
        reason: 'automatic promotion after success in development',
      });
    });

    it('keeps a scheduled automatic promotion whose retry failed, and tries it again later', async () => {
      let now = Date.parse('2026-11-20T10:00:00Z');
      const { engine, register, current } = await setUpSoakedAutoPromotion(
        () => new Date(now),
      );
      await register('1.0.0');
      await eventually(
        async () =>
          (
            await engine.history.listEvents(TEST_ENTITY_REF, {})
          ).items.some(e => e.type === 'promotion.blocked'),
        blocked => blocked,
        'the blocked automatic promotion',
      );

      now += 11 * 60_000;
      jest
        .spyOn(engine.db.releases, 'getRelease')
        .mockRejectedValueOnce(new Error('database connection reset'));
      await expect(
        engine.automaticPromotions.runScheduledPromotions(),
      ).rejects.toThrow(
        /1 scheduled automatic promotion\(s\) failed and will be retried: database connection reset/,
      );
      expect(await current('staging')).toBeNull();

      now += 61_000;
      await engine.automaticPromotions.runScheduledPromotions();
      await eventually(
        () => current('staging'),
        version => version === '1.0.0',
        '1.0.0 in staging after the second try',
      );
    });

    it('waits for two distinct approvers, refuses self-approval and services, and rejects on one no', async () => {
      const { engine, register, finished } = await setUp(
        configWith(deploy.script, 'staging', { approvals: { required: 2 } }),
      );
      const release = await register('1.0.0');
      const request = {
        entityRef: TEST_ENTITY_REF,
        releaseId: release.id,
        environment: 'staging',
      };

      const { deployment } = await engine.promotions.promote(request, ALICE);
      expect(deployment).toMatchObject({ status: 'pending' });
      expect(deployment!.gates.find(g => g.name === 'approvals')).toMatchObject(
        {
          passed: false,
          message: 'waits for 2 approvals',
        },
      );

      await expect(
        engine.approvals.decide(deployment!.id, 'approve', undefined, ALICE),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        engine.approvals.decide(deployment!.id, 'approve', undefined, CI),
      ).rejects.toThrow('only users can approve');
      await engine.approvals.decide(
        deployment!.id,
        'approve',
        'looks good',
        BOB,
      );
      await expect(
        engine.approvals.decide(deployment!.id, 'approve', undefined, BOB),
      ).rejects.toThrow(ConflictError);
      expect((await engine.history.getDeployment(deployment!.id)).status).toBe(
        'pending',
      );

      await engine.approvals.decide(
        deployment!.id,
        'approve',
        undefined,
        CAROL,
      );
      const done = await finished(deployment!.id);
      expect(done.status).toBe('succeeded');
      expect(done.approvals.map(a => a.approver)).toEqual([
        'user:default/bob',
        'user:default/carol',
      ]);

      const second = await register('1.1.0');
      const { deployment: rejected } = await engine.promotions.promote(
        { ...request, releaseId: second.id },
        ALICE,
      );
      const after = await engine.approvals.decide(
        rejected!.id,
        'reject',
        'not today',
        BOB,
      );
      expect(after.status).toBe('rejected');
      expect(after.transitions.at(-1)?.message).toBe(
        'rejected by user:default/bob: not today',
      );
    });

    it('never records an approval after a cancellation, however the two race', async () => {
      const { engine, register } = await setUp(
        configWith(deploy.script, 'staging', { approvals: { required: 2 } }),
      );
      for (let round = 0; round < 12; round++) {
        const release = await register(`1.0.${round}`);
        const { deployment } = await engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: release.id,
            environment: 'staging',
          },
          ALICE,
        );
        const [approval, cancellation] = await Promise.allSettled([
          engine.approvals.decide(deployment!.id, 'approve', 'ok', BOB),
          engine.queue.cancel(deployment!.id, 'changed my mind', ALICE.actor),
        ]);

        expect(cancellation.status).toBe('fulfilled');
        const final = await engine.history.getDeployment(deployment!.id);
        expect(final.status).toBe('cancelled');
        const { items: newestFirst } = await engine.history.listEvents(
          TEST_ENTITY_REF,
          { limit: 50 },
        );
        const order = newestFirst
          .filter(e => e.deploymentId === deployment!.id)
          .map(e => e.type)
          .reverse();
        // Either the approval came first and both count, or it was refused.
        const approved = approval.status === 'fulfilled';
        expect({
          approvals: final.approvals.length,
          approvalEvent: order.includes('approval.approved'),
          approvalBeforeCancellation:
            order.indexOf('approval.approved') <
            order.indexOf('deployment.cancelled'),
          refusal: approval.status === 'rejected' ? approval.reason.name : null,
        }).toEqual({
          approvals: approved ? 1 : 0,
          approvalEvent: approved,
          approvalBeforeCancellation: true,
          refusal: approved ? null : 'ConflictError',
        });
      }
    });

    it('refuses promotions during a freeze window unless overridden with permission, and allows rollbacks', async () => {
      const now = Date.parse('2026-11-21T12:00:00Z'); // a Saturday
      const { engine, finished } = await setUp(
        configWith(deploy.script, 'development', {
          freezeWindows: [
            {
              cron: '0 18 * * 5',
              duration: { hours: 62 },
              reason: 'weekend freeze',
            },
          ],
          autoPromote: false,
        }),
        () => new Date(now),
      );
      const { release } = await engine.registry.register(
        releaseRequest('1.0.0'),
        'ci-pipeline',
      );
      const request = {
        entityRef: TEST_ENTITY_REF,
        releaseId: release.id,
        environment: 'development',
      };

      const refusal = (await engine.promotions
        .promote(request, ALICE)
        .catch(e => e)) as GatesFailedError;
      expect(refusal.gates.find(g => g.name === 'freeze-window')?.message).toBe(
        'development is frozen until 2026-11-23T08:00:00.000Z (weekend freeze); an override reason is needed',
      );
      const withoutPermission = (await engine.promotions
        .promote({ ...request, override: { reason: 'hotfix' } }, ALICE)
        .catch(e => e)) as GatesFailedError;
      expect(
        withoutPermission.gates.find(g => g.name === 'freeze-window')?.message,
      ).toMatch(/needs the immutable-releases.freeze.override permission/);

      const { deployment } = await engine.promotions.promote(
        { ...request, override: { reason: 'hotfix for INC-42' } },
        { ...ALICE, mayOverrideFreeze: true },
      );
      await finished(deployment!.id);
      const events = await engine.history.listEvents(TEST_ENTITY_REF, {});
      expect(
        events.items.find(e => e.type === 'freeze.overridden'),
      ).toMatchObject({
        actor: 'user:default/alice',
        details: { reason: 'hotfix for INC-42' },
      });

      const { release: second } = await engine.registry.register(
        releaseRequest('1.1.0'),
        'ci-pipeline',
      );
      await finished(
        (
          await engine.promotions.promote(
            {
              ...request,
              releaseId: second.id,
              override: { reason: 'second hotfix' },
            },
            { ...ALICE, mayOverrideFreeze: true },
          )
        ).deployment!.id,
      );
      const rollback = await engine.promotions.rollback(
        {
          entityRef: TEST_ENTITY_REF,
          environment: 'development',
          reason: 'hotfix broke login',
        },
        ALICE,
      );
      expect((await finished(rollback.id)).status).toBe('succeeded');
    });

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
            items =>
              items.length === 3 &&
              items.every(d => !['pending', 'running'].includes(d.status)),
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

    it('verifies a deployment over HTTP and rolls back automatically, with a hold, when verification fails', async () => {
      const badDigest = digestOf('2.0.0');
      const server = http.createServer((_req, res) => {
        const lastStaging = readDeployLog(deploy.log)
          .filter(l => l.environment === 'staging' && l.what === 'end')
          .at(-1);
        res.statusCode = lastStaging?.ref.endsWith(badDigest) ? 503 : 200;
        res.end(lastStaging?.ref ?? 'nothing deployed');
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      try {
        const url = `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }/version`;
        const { engine, current, register, finished } = await setUp(
          configWith(deploy.script, 'staging', {
            verification: {
              http: { url, expectStatus: 200 },
              timeout: { milliseconds: 600 },
              interval: { milliseconds: 100 },
            },
            autoRollback: true,
          }),
        );
        const good = await register('1.0.0');
        const { deployment: first } = await engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: good.id,
            environment: 'staging',
          },
          ALICE,
        );
        const verified = await finished(first!.id);
        expect(verified.transitions.map(t => t.status)).toEqual([
          'pending',
          'running',
          'verifying',
          'succeeded',
        ]);

        const bad = await register('2.0.0');
        const { deployment: second } = await engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: bad.id,
            environment: 'staging',
          },
          ALICE,
        );
        const failed = await finished(second!.id);
        expect(failed.status).toBe('failed');
        expect(failed.transitions.at(-1)?.message).toMatch(
          /verification failed after \d+ attempts?: GET .* answered 503/,
        );

        const rollback = await eventually(
          async () =>
            (
              await engine.history.listDeployments(TEST_ENTITY_REF, {
                environment: 'staging',
              })
            ).items[0],
          d => d.kind === 'rollback' && d.status === 'succeeded',
          'the automatic rollback',
        );
        expect(rollback).toMatchObject({
          requestedBy: 'plugin:immutable-releases',
          release: { version: '1.0.0' },
        });
        expect(await current('staging')).toBe('1.0.0');
        const staging = (await engine.environments.describe(TEST_ENTITY_REF))
          .environments[1];
        expect(staging.hold?.reason).toMatch(
          /automatic rollback from 2.0.0 to 1.0.0/,
        );
      } finally {
        server.close();
      }
    });

    it('completes an asynchronous webhook deployment through the status callback, once', async () => {
      const received: unknown[] = [];
      let callbackToken: string | undefined;
      const server = http.createServer((req, res) => {
        let body = '';
        callbackToken = req.headers['x-immutable-releases-callback-token'] as
          | string
          | undefined;
        req.on('data', chunk => (body += chunk));
        req.on('end', () => {
          received.push(JSON.parse(body));
          res.statusCode = 202;
          res.end('{}');
        });
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      try {
        const config = configWith(deploy.script, 'staging', { executor: 'cd' });
        (config.immutableReleases.executors as any).cd = {
          type: 'webhook',
          url: `http://127.0.0.1:${
            (server.address() as AddressInfo).port
          }/deploy`,
          secret: 'test-secret',
          async: true,
        };
        const { engine, register } = await setUp(config);
        const release = await register('1.0.0');
        const { deployment } = await engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: release.id,
            environment: 'staging',
          },
          ALICE,
        );
        const waiting = await eventually(
          () => engine.history.getDeployment(deployment!.id),
          d => d.transitions.length === 3,
          'the webhook call',
        );
        expect(waiting.status).toBe('running');
        expect(received[0]).toMatchObject({
          deploymentId: deployment!.id,
          artifactRef: `ghcr.io/acme/checkout@${digestOf('1.0.0')}`,
        });

        const forged = {
          status: 'succeeded',
          url: 'https://evil.example.com/',
        };
        for (const token of [undefined, 'guessed', `${callbackToken}x`]) {
          await expect(
            engine.callbacks.complete(deployment!.id, forged as any, {
              actor: 'user:default/carol',
              callbackToken: token,
            }),
          ).rejects.toThrow(
            `a completion callback of deployment ${
              deployment!.id
            } must carry, in the x-immutable-releases-callback-token header, the callback token its executor received`,
          );
        }
        expect(
          (await engine.history.getDeployment(deployment!.id)).status,
        ).toBe('running');

        const done = await engine.callbacks.complete(
          deployment!.id,
          {
            status: 'succeeded',
            message: 'rolled out by CD',
            url: 'https://cd.example.com/runs/7',
          },
          { actor: 'cd-system', callbackToken },
        );
        expect(done).toMatchObject({
          status: 'succeeded',
          executor: { name: 'cd', url: 'https://cd.example.com/runs/7' },
        });
        await expect(
          engine.callbacks.complete(
            deployment!.id,
            { status: 'failed' },
            { actor: 'cd-system', callbackToken },
          ),
        ).rejects.toThrow(ConflictError);
      } finally {
        server.close();
      }
    });

    it('verifies an asynchronous deployment after its success callback, and fails it when verification fails', async () => {
      let healthy = true;
      const probed = new Set<string>();
      const callbackTokens = new Map<string, string>();
      const server = http.createServer((req, res) => {
        if (req.url === '/deploy') {
          callbackTokens.set(
            String(req.headers['x-immutable-releases-deployment-id']),
            String(req.headers['x-immutable-releases-callback-token']),
          );
          req.resume();
          req.on('end', () => {
            res.statusCode = 202;
            res.end('{}');
          });
          return;
        }
        probed.add(req.url!);
        res.statusCode = healthy ? 200 : 503;
        res.end(healthy ? 'ok' : 'unhealthy');
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      try {
        const base = `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }`;
        const config = configWith(deploy.script, 'staging', {
          executor: 'cd',
          verification: {
            http: {
              url: `${base}/{{ entity.metadata.name }}/{{ environment }}/health`,
              expectStatus: 200,
            },
            timeout: { milliseconds: 400 },
            interval: { milliseconds: 100 },
          },
        });
        (config.immutableReleases.executors as any).cd = {
          type: 'webhook',
          url: `${base}/deploy`,
          secret: 'test-secret',
          async: true,
        };
        const { engine, register, finished } = await setUp(config);
        const waitingForCallback = (id: string) =>
          eventually(
            () => engine.history.getDeployment(id),
            d => d.transitions.length === 3,
            'the webhook call',
          );
        const promote = async (version: string) => {
          const release = await register(version);
          const { deployment } = await engine.promotions.promote(
            {
              entityRef: TEST_ENTITY_REF,
              releaseId: release.id,
              environment: 'staging',
            },
            ALICE,
          );
          await waitingForCallback(deployment!.id);
          return deployment!.id;
        };

        const first = await promote('1.0.0');
        const fromCd = (id: string) => ({
          actor: 'cd-system',
          callbackToken: callbackTokens.get(id),
        });
        const reported = await engine.callbacks.complete(
          first,
          { status: 'succeeded', message: 'rolled out by CD' },
          fromCd(first),
        );
        expect(reported.status).toBe('verifying');
        await expect(
          engine.callbacks.complete(first, { status: 'failed' }, fromCd(first)),
        ).rejects.toThrow(ConflictError);
        const verified = await finished(first);
        expect(verified.status).toBe('succeeded');
        expect(verified.transitions.map(t => t.status)).toEqual([
          'pending',
          'running',
          'running',
          'verifying',
          'succeeded',
        ]);
        expect([...probed]).toEqual(['/checkout/staging/health']);
        expect(verified.transitions[3]).toMatchObject({
          actor: 'cd-system',
          message: expect.stringMatching(/rolled out by CD; verifying GET/),
        });

        healthy = false;
        const second = await promote('2.0.0');
        await engine.callbacks.complete(
          second,
          { status: 'succeeded' },
          fromCd(second),
        );
        const failed = await finished(second);
        expect(failed.status).toBe('failed');
        expect(failed.transitions.at(-1)?.message).toMatch(
          /verification failed after \d+ attempts?: GET .*\/checkout\/staging\/health answered 503/,
        );
      } finally {
        server.close();
      }
    });

    it('fails an asynchronous deployment whose callback does not come within the configured callbackTimeout', async () => {
      let now = new Date('2026-11-22T10:00:00Z');
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.statusCode = 202;
          res.end('{}');
        });
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      try {
        const config = configWith(deploy.script, 'staging', { executor: 'cd' });
        (config.immutableReleases.executors as any).cd = {
          type: 'webhook',
          url: `http://127.0.0.1:${
            (server.address() as AddressInfo).port
          }/deploy`,
          secret: 'test-secret',
          async: true,
          callbackTimeout: { minutes: 20 },
        };
        const { engine, register } = await setUp(config, () => now);
        const release = await register('1.0.0');
        const { deployment } = await engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: release.id,
            environment: 'staging',
          },
          ALICE,
        );
        await eventually(
          () => engine.history.getDeployment(deployment!.id),
          d => d.transitions.length === 3,
          'the webhook call',
        );

        now = new Date('2026-11-22T10:19:00Z');
        await engine.recovery.recover();
        expect(
          (await engine.history.getDeployment(deployment!.id)).status,
        ).toBe('running');

        now = new Date('2026-11-22T10:21:00Z');
        await engine.recovery.recover();
        const overdue = await engine.history.getDeployment(deployment!.id);
        expect(overdue.status).toBe('failed');
        expect(overdue.transitions.at(-1)?.message).toMatch(
          /did not report completion in time/,
        );
      } finally {
        server.close();
      }
    });

    it('refuses a callbackTimeout that is not a positive duration, naming the key', async () => {
      const config = pipelineConfig(deploy.script);
      (config.immutableReleases.executors as any).cd = {
        type: 'webhook',
        url: 'http://127.0.0.1:9/deploy',
        secret: 'test-secret',
        async: true,
        callbackTimeout: 'soon',
      };
      await expect(createTestEngine({ knex, config })).rejects.toThrow(
        /immutableReleases\.executors\.cd\.callbackTimeout must be a duration/,
      );
    });
  },
);
