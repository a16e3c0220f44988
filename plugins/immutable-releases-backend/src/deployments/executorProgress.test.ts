import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  configWith,
  describePromotionScenarios,
} from '../__testUtils__/promotionScenario';
import {
  digestOf,
  eventually,
  releaseRequest,
  TEST_ENTITY_REF,
} from '../__testUtils__/testEngine';

jest.setTimeout(60_000);

const ARTIFACT_REF = `ghcr.io/acme/checkout@${digestOf('1.0.0')}`;

describePromotionScenarios(
  'what an executor reports while it deploys',
  ({ setUp, deploy }) => {
    it('shows what the deploy command printed so far on the running deployment', async () => {
      const hold = path.join(deploy.dir, 'hold-progress');
      process.env.DEPLOY_HOLD_FILE = hold;
      try {
        const { engine, finished } = await setUp(
          configWith(deploy.script, 'development', {}),
        );
        await engine.registry.register(releaseRequest('1.0.0'), 'ci-pipeline');
        const running = await eventually(
          async () =>
            (
              await engine.history.listDeployments(TEST_ENTITY_REF, {
                environment: 'development',
              })
            ).items[0],
          d => d?.status === 'running' && !!d.executor?.output,
          'the running deployment to show output',
        );
        expect(running.executor).toEqual({
          name: 'local',
          type: 'command',
          output: `deploying ${ARTIFACT_REF}`,
        });

        fs.writeFileSync(hold, '');
        const done = await finished(running.id);
        expect(done.status).toBe('succeeded');
        expect(done.executor?.output).toBe(
          `deploying ${ARTIFACT_REF}\ndeployed ${ARTIFACT_REF}`,
        );
      } finally {
        fs.writeFileSync(hold, '');
        delete process.env.DEPLOY_HOLD_FILE;
      }
    });

    it('keeps an executor’s link only when it is an http(s) link', async () => {
      const links = [
        // A link that would run script where the deployment is shown.
        // eslint-disable-next-line no-script-url
        'javascript:alert(document.cookie)',
        'https://ci.example.com/runs/7',
      ];
      const server = http.createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'succeeded', url: links.shift() }));
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      try {
        const config = configWith(deploy.script, 'development', {
          executor: 'hook',
        });
        (config.immutableReleases.executors as Record<string, unknown>).hook = {
          type: 'webhook',
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
          secret: 'webhook-signing-secret',
        };
        const { engine, finished } = await setUp(config);

        const executors = [];
        for (const version of ['1.0.0', '1.0.1']) {
          await engine.registry.register(
            releaseRequest(version),
            'ci-pipeline',
          );
          const [latest] = (
            await engine.history.listDeployments(TEST_ENTITY_REF, {
              environment: 'development',
            })
          ).items;
          executors.push((await finished(latest.id)).executor);
        }

        expect(executors).toEqual([
          { name: 'hook', type: 'webhook' },
          {
            name: 'hook',
            type: 'webhook',
            url: 'https://ci.example.com/runs/7',
          },
        ]);
      } finally {
        server.close();
      }
    });
  },
);
