import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import {
  driftBackendStarter,
  environment,
  EXAMPLES,
  observation,
} from './__testUtils__/driftBackend';
import { digestOf, eventually } from './__testUtils__/testEngine';

jest.setTimeout(60_000);

const BASE = '/api/immutable-releases';
const CHECKOUT = `${BASE}/v1/entities/component/default/checkout`;
const ALICE = mockCredentials.user.header('user:default/alice');
const CI = mockCredentials.service.header();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createFleetServer } = require(path.join(EXAMPLES, 'fleet-server.js'));

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'drift and metrics over HTTP on %p',
  databaseId => {
    const { start, cleanups } = driftBackendStarter(databases, databaseId);

    it('accepts observations from CI and answers 4xx naming the item and field', async () => {
      const { server } = await start();
      const accepted = await request(server)
        .post(`${BASE}/v1/observations`)
        .set('Authorization', CI)
        .send({
          observations: [
            observation(),
            observation({
              environment: 'staging',
              source: 'argo-cd',
              details: {
                instances: 4,
                otherDigests: [{ digest: digestOf('1.0.0'), instances: 2 }],
              },
            }),
          ],
        });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({ accepted: 2 });
      expect((await environment(server, 'production')).drift).toMatchObject({
        status: 'unmanaged',
        observedDigest: digestOf('hotfix'),
        observedSource: 'external:test-service',
      });
      expect((await environment(server, 'staging')).drift).toMatchObject({
        status: 'unmanaged',
        observedSource: 'argo-cd',
        observedDetails: {
          instances: 4,
          otherDigests: [{ digest: digestOf('1.0.0'), instances: 2 }],
        },
      });

      const refusals: Array<[unknown, number, RegExp]> = [
        [{ observations: [] }, 400, /observations/],
        [
          { observations: Array.from({ length: 1001 }, () => observation()) },
          400,
          /observations/,
        ],
        [
          { observations: [observation(), observation({ digest: 'latest' })] },
          400,
          /observations\/1\/digest/,
        ],
        [
          { observations: [observation({ environment: 'qa' })] },
          400,
          /^observations\/0\/environment: 'qa'/,
        ],
        [
          {
            observations: [
              observation(),
              observation({ entityRef: 'component:default/ghost' }),
            ],
          },
          404,
          /^observations\/1\/entityRef: entity component:default\/ghost is not in the catalog/,
        ],
        [
          { observations: [observation({ unexpected: true })] },
          400,
          /observations\/0\/unexpected is not a known property/,
        ],
        [
          {
            observations: [
              observation({
                details: {
                  otherDigests: [{ digest: digestOf('hotfix'), instances: 1 }],
                },
              }),
            ],
          },
          400,
          /^observations\/0\/details\/otherDigests\/0\/digest sha256:\w+ is the observed digest$/,
        ],
        [
          { observations: [observation({ details: { instances: 0 } })] },
          400,
          /observations\/0\/details\/instances must be >= 1/,
        ],
      ];
      for (const [body, status, message] of refusals) {
        const response = await request(server)
          .post(`${BASE}/v1/observations`)
          .set('Authorization', CI)
          .send(body as object);
        expect({
          status: response.status,
          message: response.body.error?.message,
        }).toEqual({
          status,
          message: expect.stringMatching(message),
        });
      }
      const anonymous = await request(server)
        .post(`${BASE}/v1/observations`)
        .send({ observations: [observation()] });
      expect(anonymous.status).toBe(401);
      // Nothing of the refused batches was stored.
      expect(
        (await environment(server, 'production')).drift.observedDigest,
      ).toBe(digestOf('hotfix'));
    });

    it('refuses the whole batch when the policy denies one of its entities', async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'immutable-releases.observation.create' &&
              'resourceRef' in r &&
              r.resourceRef === 'component:default/payments'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      });
      const { server } = await start({ permissions });
      const denied = await request(server)
        .post(`${BASE}/v1/observations`)
        .set('Authorization', ALICE)
        .send({
          observations: [
            observation(),
            observation({ entityRef: 'component:default/payments' }),
            observation({ environment: 'staging' }),
          ],
        });
      expect(denied.status).toBe(403);
      expect(denied.body.error).toMatchObject({
        name: 'NotAllowedError',
        message:
          'immutable-releases.observation.create is not allowed on component:default/payments',
      });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          expect.objectContaining({
            resourceRef: 'component:default/checkout',
          }),
          expect.objectContaining({
            resourceRef: 'component:default/payments',
          }),
        ],
        expect.anything(),
      );
      expect(
        (await environment(server, 'production')).drift.observedDigest,
      ).toBeNull();
    });

    it('answers delivery metrics, defaulting to the last environment', async () => {
      const { server } = await start();
      const metrics = await request(server)
        .get(`${CHECKOUT}/metrics`)
        .set('Authorization', ALICE);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toEqual({
        environment: 'production',
        days: 30,
        deploymentFrequency: 0,
        leadTimeSeconds: { p50: null, p90: null },
        changeFailureRate: null,
        timeToRestoreSeconds: { p50: null },
      });
      const refusals: Array<[Record<string, string>, RegExp]> = [
        [
          { environment: 'qa' },
          /environment 'qa' is not in pipeline 'default'/,
        ],
        [{ days: '0' }, /days/],
        [{ days: '366' }, /days/],
        [{ days: 'a week' }, /days/],
      ];
      for (const [query, message] of refusals) {
        const response = await request(server)
          .get(`${CHECKOUT}/metrics`)
          .query(query)
          .set('Authorization', ALICE);
        expect({
          status: response.status,
          message: response.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringMatching(message),
        });
      }
      const unknownEntity = await request(server)
        .get(`${BASE}/v1/entities/component/default/ghost/metrics`)
        .set('Authorization', ALICE);
      expect(unknownEntity.status).toBe(404);
    });

    it('probes the demo fleet server and shows a hand-edited state file as unmanaged, then drifted', async () => {
      const stateDir = fs.mkdtempSync(
        path.join(os.tmpdir(), 'immutable-releases-fleet-'),
      );
      cleanups.push(() =>
        fs.rmSync(stateDir, { recursive: true, force: true }),
      );
      const previousStateDir = process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR;
      process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR = stateDir;
      cleanups.push(() => {
        if (previousStateDir === undefined) {
          delete process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR;
        } else {
          process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR = previousStateDir;
        }
      });
      const fleet: HttpServer = createFleetServer({ stateRoot: stateDir });
      await new Promise<void>(resolve => fleet.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise<void>(done => fleet.close(() => done())));
      const fleetUrl = `http://127.0.0.1:${
        (fleet.address() as AddressInfo).port
      }`;

      const { server, tasks } = await start({
        config: {
          drift: {
            probes: [
              {
                environment: 'development',
                url: `${fleetUrl}/{{ entity.metadata.namespace }}/{{ entity.metadata.name }}/{{ environment }}/version`,
                digestPath: '$.digest',
                frequency: { seconds: 15 },
                timeout: { seconds: 5 },
              },
            ],
          },
        },
      });
      expect(tasks.ids()).toEqual(
        expect.arrayContaining([
          'immutable-releases-observe-http-probe-development',
          'immutable-releases-drift-sweep',
        ]),
      );
      const runProbe = () =>
        tasks.run('immutable-releases-observe-http-probe-development');

      // No entity uses the plugin yet (no annotation, no release): nothing to probe.
      await runProbe();
      expect((await environment(server, 'development')).drift).toMatchObject({
        status: 'unknown',
        error: null,
      });

      const register = async (version: string) => {
        const response = await request(server)
          .post(`${BASE}/v1/releases`)
          .set('Authorization', CI)
          .send({
            entityRef: 'component:default/checkout',
            version,
            artifact: {
              type: 'oci-image',
              uri: 'ghcr.io/acme/checkout',
              digest: digestOf(version),
            },
          });
        expect(response.status).toBe(201);
        await eventually(
          () => environment(server, 'development'),
          env =>
            env.currentRelease?.version === version &&
            env.currentDeployment?.status === 'succeeded',
          `${version} deployed to development by local-deploy.js`,
        );
      };
      await register('1.0.0');
      await runProbe();
      expect((await environment(server, 'development')).drift).toMatchObject({
        status: 'in-sync',
        observedDigest: digestOf('1.0.0'),
        observedSource: 'http-probe:development',
        error: null,
      });

      const stateFile = path.join(
        stateDir,
        'deployments',
        'component_default_checkout',
        'development.json',
      );
      const editDigest = (digest: string) => {
        const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
        fs.writeFileSync(stateFile, JSON.stringify({ ...state, digest }));
      };
      editDigest(digestOf('patched at midnight'));
      await runProbe();
      expect((await environment(server, 'development')).drift).toMatchObject({
        status: 'unmanaged',
        observedDigest: digestOf('patched at midnight'),
      });

      await register('1.1.0');
      editDigest(digestOf('1.0.0'));
      await runProbe();
      expect((await environment(server, 'development')).drift).toMatchObject({
        status: 'drifted',
        observedRelease: { version: '1.0.0' },
      });

      // The fleet forgets the deployment: the probe error is shown; the
      // status stays that of the latest observation until it goes stale.
      fs.rmSync(stateFile);
      await runProbe();
      expect((await environment(server, 'development')).drift).toMatchObject({
        status: 'drifted',
        error: {
          message: `GET ${fleetUrl}/default/checkout/development/version answered 404`,
          source: 'http-probe:development',
        },
      });

      const events = await request(server)
        .get(`${CHECKOUT}/events`)
        .query({ limit: 200 })
        .set('Authorization', ALICE);
      expect(
        events.body.items
          .filter((e: { type: string }) => e.type === 'drift.changed')
          .map((e: { details: { to: string } }) => e.details.to)
          .reverse(),
      ).toEqual(['in-sync', 'unmanaged', 'drifted']);
    });

    it('refuses to start with a probe configured wrong, naming the key', async () => {
      await expect(
        start({
          config: {
            drift: {
              probes: [
                {
                  environment: 'production',
                  url: 'http://fleet/{{ entity.metadata.name }}',
                  digestPath: '$.digest',
                  frequence: { minutes: 1 },
                },
              ],
            },
          },
        }),
      ).rejects.toThrow(
        /immutableReleases\.drift\.probes\[0\]\.frequence is not a known key/,
      );
    });
  },
);
