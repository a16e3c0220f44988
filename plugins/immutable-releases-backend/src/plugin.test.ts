import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Deployment } from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import { malformedRequests } from './__testUtils__/malformedRequests';
import { createTestDatabases } from '@internal/test-utils';
import {
  digestOf,
  eventually,
  pipelineConfig,
} from './__testUtils__/testEngine';
import {
  BASE,
  ENTITY_REF,
  ENTITY_PATH,
  ALICE,
  CI,
  WAIT_MS,
  pluginBackendStarter,
  releaseBody,
  register,
  getDeployment,
  waitForCurrent,
  listReleases,
  listDeployments,
  listEvents,
} from './__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'immutable-releases plugin on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

    it('answers /health without credentials and refuses /v1 routes without them', async () => {
      const { server } = await start();

      const health = await request(server).get(`${BASE}/health`);
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok' });

      const anonymous = [
        request(server).get(`${ENTITY_PATH}/releases`),
        request(server).post(`${BASE}/v1/releases`).send(releaseBody('1.0.0')),
        request(server).get(`${ENTITY_PATH}/environments`),
        request(server).post(`${BASE}/v1/promotions`).send({
          entityRef: ENTITY_REF,
          releaseId: 'x',
          environment: 'staging',
        }),
        request(server).get(`${BASE}/v1/deployments/x`),
        request(server).get(`${ENTITY_PATH}/events`),
      ];
      for (const response of await Promise.all(anonymous)) {
        expect(response.status).toBe(401);
      }
      const badToken = await request(server)
        .get(`${ENTITY_PATH}/releases`)
        .set('Authorization', mockCredentials.user.invalidHeader());
      expect(badToken.status).toBe(401);
      expect((await listReleases(server)).items).toEqual([]);
    });

    it('answers 400 naming the field for a NUL character anywhere in a request, and stores nothing', async () => {
      const { server } = await start();
      const release = await register(server, '1.0.0');
      const NUL = '\u0000';

      const refused: Array<[request.Test, string]> = [
        [
          request(server)
            .post(`${BASE}/v1/releases`)
            .send(releaseBody(`2.0.0${NUL}`)),
          'version',
        ],
        [
          request(server)
            .post(`${BASE}/v1/releases`)
            .send({
              ...releaseBody('2.0.0'),
              artifact: {
                type: 'oci-image',
                uri: `ghcr.io/acme/${NUL}checkout`,
                digest: digestOf('2.0.0'),
              },
            }),
          'artifact.uri',
        ],
        [
          request(server)
            .post(`${BASE}/v1/releases`)
            .send({
              ...releaseBody('2.0.0'),
              checks: [
                { name: 'unit-tests', status: 'passed' },
                { name: `lint${NUL}`, status: 'passed' },
              ],
            }),
          'checks[1].name',
        ],
        [
          request(server)
            .post(`${BASE}/v1/releases/${release.id}/checks`)
            .send({ name: 'unit-tests', status: 'passed', summary: NUL }),
          'summary',
        ],
        [
          request(server)
            .post(`${BASE}/v1/releases/${release.id}/revoke`)
            .send({ reason: `bad${NUL}` }),
          'reason',
        ],
        [
          request(server)
            .post(`${BASE}/v1/observations`)
            .send({
              observations: [
                {
                  entityRef: ENTITY_REF,
                  environment: 'production',
                  digest: digestOf('1.0.0'),
                  source: `fleet${NUL}`,
                },
              ],
            }),
          'observations[0].source',
        ],
        [
          request(server).get(
            `${BASE}/v1/entities/component/default/a%00b/releases`,
          ),
          'name',
        ],
        [request(server).get(`${BASE}/v1/deployments/a%00b`), 'deploymentId'],
        [
          request(server).post(`${BASE}/v1/deployments/a%00b/approvals`).send({
            decision: 'approve',
            comment: 'fine',
          }),
          'deploymentId',
        ],
      ];
      for (const [call, field] of refused) {
        const response = await call.set('Authorization', ALICE);
        expect({ field, status: response.status }).toEqual({
          field,
          status: 400,
        });
        expect(response.body.error.message).toBe(
          `${field} must not contain NUL characters (\\u0000)`,
        );
      }
      const { items } = await listReleases(server);
      expect(items.map(r => [r.version, r.revocation ?? null])).toEqual([
        ['1.0.0', null],
      ]);
    });

    it('refuses a completion callback without the callback token the webhook carried, even from the owner', async () => {
      const callbackTokens: string[] = [];
      const cd = http.createServer((req, res) => {
        callbackTokens.push(
          String(req.headers['x-immutable-releases-callback-token']),
        );
        req.resume();
        req.on('end', () => res.writeHead(202).end('{}'));
      });
      await new Promise<void>(resolve => cd.listen(0, '127.0.0.1', resolve));
      try {
        const config = pipelineConfig('unused.js').immutableReleases;
        const { server } = await start({
          extraConfig: {
            immutableReleases: {
              ...config,
              executors: {
                cd: {
                  type: 'webhook',
                  url: `http://127.0.0.1:${
                    (cd.address() as AddressInfo).port
                  }/deploy`,
                  secret: 'cd-secret',
                  async: true,
                },
              },
              pipelines: {
                default: {
                  environments: [
                    { name: 'development', executor: 'cd', autoPromote: true },
                  ],
                },
              },
            },
          },
        });
        await register(server, '1.0.0');
        const [waiting] = await eventually(
          async () =>
            (
              await request(server)
                .get(`${ENTITY_PATH}/deployments`)
                .set('Authorization', ALICE)
            ).body.items as Deployment[],
          found => found[0]?.transitions.length === 3,
          'the webhook call',
          WAIT_MS,
        );
        const statusPath = `${BASE}/v1/deployments/${waiting.id}/status`;

        const forged = await request(server)
          .post(statusPath)
          .set('Authorization', ALICE)
          .send({ status: 'succeeded', url: 'https://evil.example.com/' });
        expect(forged.status).toBe(403);
        expect(forged.body.error.message).toMatch(
          /must carry, in the x-immutable-releases-callback-token header/,
        );
        expect((await getDeployment(server, waiting.id)).status).toBe(
          'running',
        );

        const reported = await request(server)
          .post(statusPath)
          .set('Authorization', CI)
          .set('x-immutable-releases-callback-token', callbackTokens[0])
          .send({ status: 'succeeded', url: 'https://cd.example.com/runs/1' });
        expect(reported.status).toBe(200);
        expect(reported.body).toMatchObject({
          status: 'succeeded',
          executor: { name: 'cd', url: 'https://cd.example.com/runs/1' },
        });
      } finally {
        cd.close();
      }
    });

    it('answers 400 naming an unknown property, at any depth', async () => {
      const { server } = await start();

      const topLevel = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send({ ...releaseBody('1.0.0'), colour: 'red' });
      const nested = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send({
          ...releaseBody('1.0.0'),
          artifact: {
            type: 'oci-image',
            uri: 'ghcr.io/acme/checkout',
            digest: digestOf('1.0.0'),
            tag: 'latest',
          },
        });

      expect([topLevel.status, topLevel.body.error.message]).toEqual([
        400,
        'request/body/colour is not a known property',
      ]);
      expect([nested.status, nested.body.error.message]).toEqual([
        400,
        'request/body/artifact/tag is not a known property',
      ]);
      expect((await listReleases(server)).items).toEqual([]);
    });

    it('answers 400 naming an unknown environment when listing deployments', async () => {
      const { server } = await start();

      const nowhere = await request(server)
        .get(`${ENTITY_PATH}/deployments`)
        .query({ environment: 'nowhere' })
        .set('Authorization', ALICE);
      expect(nowhere.status).toBe(400);
      expect(nowhere.body.error.message).toBe(
        "environment 'nowhere' is not in pipeline 'default' (development, staging, production)",
      );
    });

    it('refuses versions and URIs that are not exact identities, and a blank revoke reason', async () => {
      const { server } = await start();
      const release = await register(server, '1.0.0');
      const refused: Array<[Record<string, unknown>, string]> = [
        [
          releaseBody('imm-1 '),
          'version must not start or end with whitespace',
        ],
        [
          releaseBody('cafe\u0301'),
          'version must be in Unicode normalization form NFC',
        ],
        [
          releaseBody('caf\uD800'),
          'version must be valid Unicode: it contains a lone surrogate',
        ],
        [
          {
            ...releaseBody('2.0.0'),
            artifact: {
              type: 'oci-image',
              uri: `ghcr.io/acme/fuzz:latest@${digestOf('2.0.0')}`,
              digest: digestOf('2.0.0'),
            },
          },
          'artifact.uri must not carry a digest',
        ],
      ];
      for (const [body, message] of refused) {
        const response = await request(server)
          .post(`${BASE}/v1/releases`)
          .set('Authorization', ALICE)
          .send(body);
        expect({
          status: response.status,
          message: response.body.error.message,
        }).toEqual({ status: 400, message: expect.stringContaining(message) });
      }
      const blankRevoke = await request(server)
        .post(`${BASE}/v1/releases/${release.id}/revoke`)
        .set('Authorization', ALICE)
        .send({ reason: '   ' });
      expect(blankRevoke.status).toBe(400);
      expect(blankRevoke.body.error.message).toBe(
        'reason is required to revoke a release',
      );
      const { items } = await listReleases(server);
      expect(items.map(r => [r.version, r.revocation ?? null])).toEqual([
        ['1.0.0', null],
      ]);
    });

    it('answers every malformed request on every route with a 4xx and writes nothing', async () => {
      const { server } = await start();
      const release = await register(server, '1.0.0');
      await waitForCurrent(server, 'development', release.id);
      const before = await Promise.all([
        listReleases(server),
        listEvents(server),
        listDeployments(server),
      ]);

      const calls = malformedRequests(release.id);
      expect(calls.length).toBeGreaterThanOrEqual(100);
      const serverErrors: string[] = [];
      for (const { method, path, body, query } of calls) {
        let call = request(server)
          [method](`${BASE}${path}`)
          .set('Authorization', ALICE);
        if (query) {
          call = call.query(query);
        }
        if (body !== undefined) {
          call = call.set('Content-Type', 'application/json').send(body);
        }
        const response = await call;
        if (response.status >= 500) {
          serverErrors.push(
            `${method.toUpperCase()} ${path} ${body ?? ''} → ${
              response.status
            } ${response.body?.error?.message}`,
          );
        }
      }

      expect(serverErrors).toEqual([]);
      expect(
        await Promise.all([
          listReleases(server),
          listEvents(server),
          listDeployments(server),
        ]),
      ).toEqual(before);
    });

    it('answers a database failure with a log id, never with the SQL', async () => {
      const { server, knex } = await start();
      await register(server, '1.0.0');
      await knex.schema.renameTable('releases', 'releases_elsewhere');

      const response = await request(server)
        .get(`${ENTITY_PATH}/releases`)
        .set('Authorization', ALICE);

      expect(response.status).toBe(500);
      expect(response.body.error.message).toMatch(
        /^An internal error occurred logId=[0-9a-f]+$/,
      );
      expect(JSON.stringify(response.body.error)).not.toMatch(
        /select|releases/i,
      );
    });
  },
);
