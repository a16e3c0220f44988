import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ConflictError } from '@backstage/errors';
import {
  createTestEngine,
  digestOf,
  eventually,
  pipelineConfig,
  TEST_ENTITY_REF,
} from '../__testUtils__/testEngine';
import {
  describePromotionScenarios,
  ALICE,
  configWith,
} from '../__testUtils__/promotionScenario';

jest.setTimeout(60_000);

describePromotionScenarios(
  'asynchronous executors',
  ({ setUp, deploy, knex }) => {
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
      await expect(createTestEngine({ knex: knex(), config })).rejects.toThrow(
        /immutableReleases\.executors\.cd\.callbackTimeout must be a duration/,
      );
    });
  },
);
