import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  Deployment,
  EnvironmentsResponse,
  Page,
  Release,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { TERMINAL_DEPLOYMENT_STATUSES } from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import { spec } from './api/openapi';
import {
  createTestDatabases,
  startReleasesTestBackend,
} from '@internal/test-databases';
import {
  digestOf,
  eventually,
  pipelineConfig,
  readDeployLog,
  testEntity,
  writeDeployScript,
} from './__testUtils__/testEngine';

jest.setTimeout(60_000);

const BASE = '/api/immutable-releases';
const ENTITY_REF = 'component:default/checkout';
const ENTITY_PATH = `${BASE}/v1/entities/component/default/checkout`;
const ALICE = mockCredentials.user.header('user:default/alice');
/** The default mock service principal, subject `external:test-service`: a CI pipeline. */
const CI = mockCredentials.service.header();
const CI_SUBJECT = mockCredentials.service().principal.subject;
const STATIC_TOKEN = 'ci-static-token-0123456789';

const databases = createTestDatabases();
/** How long a test waits for a deployment started in the background. */
const WAIT_MS = 10_000;

type Server = TestBackend['server'];

interface StartOptions {
  /** Replaces the permissive default permissions service. */
  permissions?: ServiceFactory;
  /** Uses Backstage's real auth services (static tokens) instead of mockCredentials. */
  realAuth?: boolean;
  extraConfig?: Record<string, unknown>;
}

describe.each(databases.eachSupportedId())(
  'immutable-releases plugin on %p',
  databaseId => {
    const started: Array<{ backend: TestBackend; dir: string }> = [];

    afterEach(async () => {
      for (const { backend, dir } of started.splice(0)) {
        await backend.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    async function start(options: StartOptions = {}) {
      const deploy = writeDeployScript();
      const { backend, knex } = await startReleasesTestBackend({
        databases,
        databaseId,
        entities: [testEntity('checkout'), testEntity('payments')],
        config: { ...pipelineConfig(deploy.script), ...options.extraConfig },
        features: [
          ...(options.realAuth
            ? [authServiceFactory, httpAuthServiceFactory]
            : // A request without credentials is anonymous, as in production.
              [
                mockServices.httpAuth.factory({
                  defaultCredentials: mockCredentials.none(),
                }),
              ]),
          ...(options.permissions ? [options.permissions] : []),
        ],
      });
      started.push({ backend, dir: deploy.dir });
      return { server: backend.server, log: deploy.log, knex };
    }

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

    it('records the changed checks of a repeated registration, once', async () => {
      const { server } = await start();
      await register(server, '1.0.0', {
        checks: [{ name: 'unit-tests', status: 'pending' }],
      });
      const again = () =>
        request(server)
          .post(`${BASE}/v1/releases`)
          .set('Authorization', CI)
          .send({
            ...releaseBody('1.0.0'),
            checks: [
              { name: 'unit-tests', status: 'passed' },
              { name: 'security-scan', status: 'passed' },
            ],
          });

      const first = await again();
      expect(first.status).toBe(200);
      expect(
        first.body.checks.map((c: { name: string; status: string }) => [
          c.name,
          c.status,
        ]),
      ).toEqual([
        ['security-scan', 'passed'],
        ['unit-tests', 'passed'],
      ]);
      expect((await again()).status).toBe(200);
      const recorded = (await listEvents(server)).items.filter(
        e => e.type === 'check.recorded',
      );
      expect(recorded.map(e => e.details.name).sort()).toEqual([
        'security-scan',
        'unit-tests',
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

    it('registers a release idempotently and refuses bad or conflicting input without writing anything', async () => {
      const { server } = await start();

      const created = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send(releaseBody('1.0.0'));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        entityRef: ENTITY_REF,
        version: '1.0.0',
        artifact: {
          type: 'oci-image',
          uri: 'ghcr.io/acme/checkout',
          digest: digestOf('1.0.0'),
        },
        createdBy: 'user:default/alice',
      });
      expect(new Date(created.body.createdAt).toISOString()).toBe(
        created.body.createdAt,
      );
      await waitForCurrent(server, 'development', created.body.id);

      const releasesBefore = await listReleases(server);
      const eventsBefore = await listEvents(server);
      const deploymentsBefore = await listDeployments(server);

      const again = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send(releaseBody('1.0.0'));
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(created.body.id);

      const otherDigest = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send(releaseBody('1.0.0', { digest: digestOf('something else') }));
      expect(otherDigest.status).toBe(409);
      expect(otherDigest.body.error.name).toBe('ConflictError');
      expect(otherDigest.body.error.message).toMatch(/artifact/);

      const unknownEntity = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send({
          ...releaseBody('1.0.1'),
          entityRef: 'component:default/not-in-catalog',
        });
      expect(unknownEntity.status).toBe(404);
      expect(unknownEntity.body.error.name).toBe('NotFoundError');

      const badInputs: Array<[string, object, RegExp]> = [
        [
          'a tag instead of a digest',
          releaseBody('1.0.2', { digest: 'latest' }),
          /artifact\/digest/,
        ],
        [
          'an upper-case digest',
          releaseBody('1.0.3', {
            digest: digestOf('1.0.3').toUpperCase().replace('SHA256', 'sha256'),
          }),
          /artifact\/digest/,
        ],
        [
          'a digest of the wrong length',
          releaseBody('1.0.4', { digest: 'sha256:abc123' }),
          /artifact\/digest/,
        ],
        [
          'a sha512 digest of 64 hex',
          releaseBody('1.0.5', { digest: `sha512:${'a'.repeat(64)}` }),
          /artifact\/digest/,
        ],
        ['no entityRef', withoutEntityRef(releaseBody('1.0.6')), /'entityRef'/],
        [
          'a malformed entityRef',
          { ...releaseBody('1.0.7'), entityRef: 'not a ref/' },
          /^entityRef /,
        ],
        [
          'an unknown artifact type',
          releaseBody('1.0.8', { type: 'docker' }),
          /artifact\/type/,
        ],
      ];
      for (const [what, body, field] of badInputs) {
        const response = await request(server)
          .post(`${BASE}/v1/releases`)
          .set('Authorization', ALICE)
          .send(body);
        expect({
          what,
          status: response.status,
          name: response.body.error?.name,
        }).toEqual({
          what,
          status: 400,
          name: 'InputError',
        });
        expect(response.body.error.message).toMatch(field);
      }

      const huge = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            ...releaseBody('1.0.9'),
            labels: { padding: 'x'.repeat(1_100_000) },
          }),
        );
      expect(huge.status).toBe(413);
      expect(huge.body.error).toMatchObject({
        message: 'request entity too large',
      });

      const notJson = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .set('Content-Type', 'application/json')
        .send('{"entityRef": ');
      expect(notJson.status).toBe(400);
      expect(notJson.body.error.name).toBe('InputError');

      expect(await listReleases(server)).toEqual(releasesBefore);
      expect(await listEvents(server)).toEqual(eventsBefore);
      expect(await listDeployments(server)).toEqual(deploymentsBefore);
    });

    it('answers a registration with the release as it reads back: latest check per name and the automatic promotion', async () => {
      const { server } = await start();

      const created = await register(server, '1.0.0', {
        checks: [
          { name: 'unit-tests', status: 'failed' },
          // Sorted by code unit (Z before u) whatever the database's collation.
          { name: 'Zap-scan', status: 'passed', url: 'https://ci.example/1' },
          { name: 'unit-tests', status: 'passed', summary: 'rerun' },
        ],
      });
      expect(created.checks).toEqual([
        expect.objectContaining({
          name: 'Zap-scan',
          status: 'passed',
          url: 'https://ci.example/1',
        }),
        expect.objectContaining({
          name: 'unit-tests',
          status: 'passed',
          summary: 'rerun',
        }),
      ]);
      expect(created.revocation).toBeNull();
      expect(created.deployments).toEqual([
        expect.objectContaining({ environment: 'development' }),
      ]);

      const readBack = await request(server)
        .get(`${BASE}/v1/releases/${created.id}`)
        .set('Authorization', ALICE);
      const { deployments: _changing, ...stable } = created;
      expect(readBack.body).toMatchObject(stable);
      expect(readBack.body.deployments[0].deploymentId).toBe(
        created.deployments?.[0].deploymentId,
      );
      await waitForCurrent(server, 'development', created.id);
    });

    it('stores entity refs full and lower-cased, as the catalog knows them', async () => {
      const { server } = await start();
      const created = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send({
          ...releaseBody('1.0.0'),
          entityRef: 'Component:Default/Checkout',
        });
      expect(created.status).toBe(201);
      expect(created.body.entityRef).toBe(ENTITY_REF);

      const fetched = await request(server)
        .get(`${BASE}/v1/releases/${created.body.id}`)
        .set('Authorization', ALICE);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({
        id: created.body.id,
        checks: [],
        revocation: null,
      });

      const unknown = await request(server)
        .get(`${BASE}/v1/releases/no-such-release`)
        .set('Authorization', ALICE);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');
    });

    it('answers concurrent identical registrations (a retrying CI job) with one release', async () => {
      const { server } = await start();
      const responses = await Promise.all(
        [1, 2, 3].map(() =>
          request(server)
            .post(`${BASE}/v1/releases`)
            .set('Authorization', CI)
            .send(releaseBody('1.0.0')),
        ),
      );
      expect(responses.map(r => r.status).sort()).toEqual([200, 200, 201]);
      expect(new Set(responses.map(r => r.body.id)).size).toBe(1);
      expect((await listReleases(server)).items).toHaveLength(1);
      expect(
        (await listEvents(server)).items.filter(
          e => e.type === 'release.registered',
        ),
      ).toHaveLength(1);
    });

    it('promotes a new release to development at once, running the deploy command with uri@digest', async () => {
      const { server, log } = await start();

      const release = await register(server, '1.0.0');
      const development = await waitForCurrent(
        server,
        'development',
        release.id,
      );

      expect(development.currentRelease).toEqual({
        id: release.id,
        version: '1.0.0',
        artifact: release.artifact,
        revoked: false,
      });
      expect(development.currentDeployment).toMatchObject({
        status: 'succeeded',
        kind: 'promotion',
        releaseId: release.id,
      });
      const ranFor = readDeployLog(log).filter(
        line => line.id === development.currentDeployment!.id,
      );
      expect(
        ranFor.map(line => [line.what, line.ref, line.environment]),
      ).toEqual([
        ['start', `ghcr.io/acme/checkout@${digestOf('1.0.0')}`, 'development'],
        ['end', `ghcr.io/acme/checkout@${digestOf('1.0.0')}`, 'development'],
      ]);
    });

    it('promotes to staging only once the required check passed, with a dry run that stores nothing', async () => {
      const { server, log } = await start();
      const release = await register(server, '1.0.0');
      await waitForCurrent(server, 'development', release.id);
      const promotion = {
        entityRef: ENTITY_REF,
        releaseId: release.id,
        environment: 'staging',
      };

      const refused = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send(promotion);
      expect(refused.status).toBe(409);
      expect(refused.body.error.name).toBe('ConflictError');
      expect(refused.body.response).toEqual({ statusCode: 409 });
      expect(gate(refused.body.gates, 'required-checks')).toMatchObject({
        passed: false,
        message: expect.stringContaining('unit-tests'),
      });
      expect(gate(refused.body.gates, 'upstream').passed).toBe(true);
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });

      const unknownEnvironment = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, environment: 'qa' });
      expect(unknownEnvironment.status).toBe(400);
      expect(unknownEnvironment.body.error.message).toMatch(/environment 'qa'/);
      const unknownRelease = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, releaseId: 'no-such-release' });
      expect(unknownRelease.status).toBe(404);

      const dryRun = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, dryRun: true });
      expect(dryRun.status).toBe(200);
      expect(Object.keys(dryRun.body)).toEqual(['gates']);
      expect(gate(dryRun.body.gates, 'required-checks').passed).toBe(false);
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });

      const check = await request(server)
        .post(`${BASE}/v1/releases/${release.id}/checks`)
        .set('Authorization', CI)
        .send({
          name: 'unit-tests',
          status: 'passed',
          url: 'https://ci.example.com/runs/1',
        });
      expect(check.status).toBe(201);
      expect(check.body).toMatchObject({
        name: 'unit-tests',
        status: 'passed',
        url: 'https://ci.example.com/runs/1',
        recordedBy: CI_SUBJECT,
      });

      const dryRunAfterCheck = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, dryRun: true });
      expect(dryRunAfterCheck.status).toBe(200);
      expect(
        dryRunAfterCheck.body.gates.every((g: { passed: boolean }) => g.passed),
      ).toBe(true);
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });

      const accepted = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, reason: 'ship it' });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({
        id: expect.any(String),
        entityRef: ENTITY_REF,
        environment: 'staging',
        releaseId: release.id,
        release: {
          id: release.id,
          version: '1.0.0',
          artifact: release.artifact,
        },
        kind: 'promotion',
        reason: 'ship it',
        requestedBy: 'user:default/alice',
      });

      const finished = await waitForDeployment(server, accepted.body.id);
      expect(finished.status).toBe('succeeded');
      expect(finished.transitions.map(t => t.status)).toEqual([
        'pending',
        'running',
        'succeeded',
      ]);
      for (const transition of finished.transitions) {
        expect(transition).toEqual({
          status: expect.any(String),
          at: expect.stringMatching(
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
          ),
          actor: expect.any(String),
          message: expect.any(String),
        });
        expect(transition.message).not.toBe('');
      }
      expect(finished.transitions[0].actor).toBe('user:default/alice');
      expect(finished.executor).toMatchObject({
        name: 'local',
        type: 'command',
      });
      expect(finished.executor?.output).toContain(
        `ghcr.io/acme/checkout@${digestOf('1.0.0')}`,
      );
      expect(
        readDeployLog(log).some(
          line =>
            line.id === finished.id &&
            line.environment === 'staging' &&
            line.what === 'end',
        ),
      ).toBe(true);
      expect(
        (await waitForCurrent(server, 'staging', release.id)).currentRelease
          ?.version,
      ).toBe('1.0.0');
    });

    it('rolls staging back to the previous release, holds it, and releases the hold once', async () => {
      const { server } = await start();
      const first = await register(server, '1.0.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      await promoteToStaging(server, first);
      const second = await register(server, '1.1.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      await promoteToStaging(server, second);

      const withoutReason = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', ALICE)
        .send({ entityRef: ENTITY_REF, environment: 'staging' });
      expect(withoutReason.status).toBe(400);
      expect(withoutReason.body.error.name).toBe('InputError');
      expect(withoutReason.body.error.message).toMatch(/reason/);
      expect((await listDeployments(server, 'staging')).items).toHaveLength(2);

      const rollback = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          environment: 'staging',
          reason: 'checkout errors spiked',
        });
      expect(rollback.status).toBe(202);
      expect(rollback.body).toMatchObject({
        kind: 'rollback',
        environment: 'staging',
        releaseId: first.id,
        reason: 'checkout errors spiked',
        requestedBy: 'user:default/alice',
      });
      expect((await waitForDeployment(server, rollback.body.id)).status).toBe(
        'succeeded',
      );

      const staging = await waitForCurrent(server, 'staging', first.id);
      expect(staging.currentRelease?.version).toBe('1.0.0');
      expect(staging.hold).toEqual({
        reason: expect.stringContaining('checkout errors spiked'),
        setAt: expect.any(String),
        setBy: 'user:default/alice',
      });

      const released = await request(server)
        .delete(`${ENTITY_PATH}/environments/staging/hold`)
        .set('Authorization', ALICE);
      expect(released.status).toBe(204);
      expect((await environment(server, 'staging')).hold).toBeNull();

      const releasedAgain = await request(server)
        .delete(`${ENTITY_PATH}/environments/staging/hold`)
        .set('Authorization', ALICE);
      expect(releasedAgain.status).toBe(404);
      expect(releasedAgain.body.error.name).toBe('NotFoundError');
    });

    it('stops automatic promotion into a held environment until the hold is released', async () => {
      const { server } = await start();
      const first = await register(server, '1.0.0');
      await waitForCurrent(server, 'development', first.id);
      const second = await register(server, '1.1.0');
      await waitForCurrent(server, 'development', second.id);

      const rollback = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          environment: 'development',
          reason: 'bad build',
        });
      expect(rollback.status).toBe(202);
      expect(rollback.body.releaseId).toBe(first.id);
      await waitForDeployment(server, rollback.body.id);

      const third = await register(server, '1.2.0');
      const development = await environment(server, 'development');
      expect(development.currentRelease?.id).toBe(first.id);
      expect(development.pendingDeployments).toEqual([]);
      expect(development.hold).not.toBeNull();
      expect((await listEvents(server)).items[0]).toMatchObject({
        type: 'promotion.skipped',
        environment: 'development',
        releaseId: third.id,
      });

      const released = await request(server)
        .delete(`${ENTITY_PATH}/environments/development/hold`)
        .set('Authorization', ALICE);
      expect(released.status).toBe(204);
      const fourth = await register(server, '1.3.0');
      await waitForCurrent(server, 'development', fourth.id);
    });

    it('revokes a release once and never promotes it again', async () => {
      const { server } = await start();
      const release = await register(server, '1.0.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      await waitForCurrent(server, 'development', release.id);

      const revoked = await request(server)
        .post(`${BASE}/v1/releases/${release.id}/revoke`)
        .set('Authorization', ALICE)
        .send({ reason: 'CVE-2026-0001 in the base image' });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        id: release.id,
        revocation: {
          reason: 'CVE-2026-0001 in the base image',
          revokedAt: expect.any(String),
          revokedBy: 'user:default/alice',
        },
      });

      const revokedAgain = await request(server)
        .post(`${BASE}/v1/releases/${release.id}/revoke`)
        .set('Authorization', ALICE)
        .send({ reason: 'again' });
      expect(revokedAgain.status).toBe(409);
      expect(revokedAgain.body.error.name).toBe('ConflictError');

      const promotion = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          releaseId: release.id,
          environment: 'staging',
        });
      expect(promotion.status).toBe(409);
      expect(gate(promotion.body.gates, 'not-revoked')).toMatchObject({
        passed: false,
        message: expect.stringContaining('CVE-2026-0001'),
      });
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });
      expect(
        (await environment(server, 'development')).currentRelease?.revoked,
      ).toBe(true);
    });

    it('pages releases newest first with opaque cursors and refuses bad page parameters', async () => {
      const { server } = await start();
      const versions = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4'];
      const registered = [];
      for (const version of versions) {
        registered.push(await register(server, version));
      }
      // Attachments on a later page: a check on 1.0.2, a revocation of 1.0.1.
      const checked = await request(server)
        .post(`${BASE}/v1/releases/${registered[2].id}/checks`)
        .set('Authorization', ALICE)
        .send({ name: 'unit-tests', status: 'passed' });
      expect(checked.status).toBe(201);
      const revoked = await request(server)
        .post(`${BASE}/v1/releases/${registered[1].id}/revoke`)
        .set('Authorization', ALICE)
        .send({ reason: 'CVE in a dependency' });
      expect(revoked.status).toBe(200);

      const first = await listReleases(server, { limit: '2' });
      expect(first.items.map(r => r.version)).toEqual(['1.0.4', '1.0.3']);
      expect(first.nextCursor).toEqual(expect.any(String));

      const listed = [...first.items];
      let page = first;
      let pages = 1;
      while (page.nextCursor) {
        page = await listReleases(server, {
          limit: '2',
          cursor: page.nextCursor,
        });
        listed.push(...page.items);
        pages += 1;
        expect(pages).toBeLessThanOrEqual(5);
      }
      expect(listed.map(r => r.version)).toEqual([...versions].reverse());
      for (const release of listed) {
        const single = await request(server)
          .get(`${BASE}/v1/releases/${release.id}`)
          .set('Authorization', ALICE);
        expect({
          version: release.version,
          checks: release.checks,
          revocation: release.revocation,
        }).toEqual({
          version: single.body.version,
          checks: single.body.checks,
          revocation: single.body.revocation,
        });
      }
      expect((listed[2].checks ?? []).map(c => c.name)).toEqual(['unit-tests']);
      expect(listed[3].revocation?.reason).toBe('CVE in a dependency');
      expect((listed[3].deployments ?? []).map(d => d.environment)).toEqual([
        'development',
      ]);
      expect(pages).toBe(3);
      expect(page.nextCursor).toBeNull();

      for (const [query, field] of [
        [{ limit: '0' }, /limit/],
        [{ limit: '201' }, /limit/],
        [{ limit: 'ten' }, /limit/],
        [{ cursor: 'garbage!' }, /cursor/],
        [
          { cursor: Buffer.from('{"seq":"1 or 1=1"}').toString('base64url') },
          /cursor/,
        ],
      ] as const) {
        const response = await request(server)
          .get(`${ENTITY_PATH}/releases`)
          .query(query)
          .set('Authorization', ALICE);
        expect({ query, status: response.status }).toEqual({
          query,
          status: 400,
        });
        expect(response.body.error.name).toBe('InputError');
        expect(response.body.error.message).toMatch(field);
      }
      const badEventsCursor = await request(server)
        .get(`${ENTITY_PATH}/events`)
        .query({ cursor: 'garbage!' })
        .set('Authorization', ALICE);
      expect(badEventsCursor.status).toBe(400);
    });

    it('answers 404 for an unknown deployment and 409 for cancelling one that is not pending', async () => {
      const { server } = await start();
      const unknown = await request(server)
        .get(`${BASE}/v1/deployments/no-such-deployment`)
        .set('Authorization', ALICE);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');

      const cancelUnknown = await request(server)
        .post(`${BASE}/v1/deployments/no-such-deployment/cancel`)
        .set('Authorization', ALICE)
        .send({});
      expect(cancelUnknown.status).toBe(404);

      const release = await register(server, '1.0.0');
      const development = await waitForCurrent(
        server,
        'development',
        release.id,
      );
      const deploymentId = development.currentDeployment!.id;
      const cancel = await request(server)
        .post(`${BASE}/v1/deployments/${deploymentId}/cancel`)
        .set('Authorization', ALICE)
        .send({ reason: 'too late' });
      expect(cancel.status).toBe(409);
      expect(cancel.body.error.name).toBe('ConflictError');
      expect(cancel.body.error.message).toMatch(/succeeded/);
      expect((await getDeployment(server, deploymentId)).status).toBe(
        'succeeded',
      );
    });

    it('lists the audit trail of an entity newest first', async () => {
      const { server } = await start();
      const release = await register(server, '1.0.0');
      const development = await waitForCurrent(
        server,
        'development',
        release.id,
      );

      const events = await listEvents(server);
      expect(events.items.map(e => e.type)).toEqual([
        'deployment.succeeded',
        'deployment.running',
        'deployment.requested',
        'release.registered',
      ]);
      expect(events.nextCursor).toBeNull();
      const registered = events.items[3];
      expect(registered).toMatchObject({
        entityRef: ENTITY_REF,
        releaseId: release.id,
        actor: 'user:default/alice',
      });
      for (const event of events.items.slice(0, 3)) {
        expect(event).toMatchObject({
          environment: 'development',
          releaseId: release.id,
          deploymentId: development.currentDeployment!.id,
        });
      }
      const times = events.items.map(e => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const firstPage = await listEvents(server, { limit: '3' });
      const secondPage = await listEvents(server, {
        limit: '3',
        cursor: firstPage.nextCursor!,
      });
      expect([...firstPage.items, ...secondPage.items]).toEqual(events.items);
    });

    it('registers releases for a CI pipeline with a static token from backend.auth.externalAccess', async () => {
      const { server } = await start({
        realAuth: true,
        extraConfig: {
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: STATIC_TOKEN, subject: 'ci-pipeline' },
                },
              ],
            },
          },
        },
      });

      const created = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', `Bearer ${STATIC_TOKEN}`)
        .send(releaseBody('1.0.0'));
      expect(created.status).toBe(201);
      expect(created.body.createdBy).toBe('ci-pipeline');

      const wrongToken = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', 'Bearer not-the-ci-token')
        .send(releaseBody('1.0.1'));
      expect(wrongToken.status).toBe(401);
      const noToken = await request(server).get(`${ENTITY_PATH}/releases`);
      expect(noToken.status).toBe(401);

      const list = await request(server)
        .get(`${ENTITY_PATH}/releases`)
        .set('Authorization', `Bearer ${STATIC_TOKEN}`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((r: Release) => r.version)).toEqual(['1.0.0']);
    });

    it('records a CI service principal as the creator of what it registers', async () => {
      const { server } = await start();
      const created = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', CI)
        .send(releaseBody('1.0.0'));
      expect(created.status).toBe(201);
      expect(created.body.createdBy).toBe(CI_SUBJECT);
    });

    it('refuses a promotion the permission policy denies and stores nothing', async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'immutable-releases.promotion.create'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      });
      const { server } = await start({ permissions: permissions.factory });
      const release = await register(server, '1.0.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      await waitForCurrent(server, 'development', release.id);
      const eventsBefore = await listEvents(server);

      const denied = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          releaseId: release.id,
          environment: 'staging',
        });
      expect(denied.status).toBe(403);
      expect(denied.body.error.name).toBe('NotAllowedError');
      expect(denied.body.error.message).toContain(
        'immutable-releases.promotion.create',
      );

      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });
      expect(await listEvents(server)).toEqual(eventsBefore);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          expect.objectContaining({
            permission: expect.objectContaining({
              name: 'immutable-releases.promotion.create',
            }),
            resourceRef: ENTITY_REF,
          }),
        ],
        expect.anything(),
      );
    });
  },
);

function releaseBody(
  version: string,
  artifact: { type?: string; digest?: string } = {},
): Record<string, unknown> {
  return {
    entityRef: 'component:default/checkout',
    version,
    artifact: {
      type: artifact.type ?? 'oci-image',
      uri: 'ghcr.io/acme/checkout',
      digest: artifact.digest ?? digestOf(version),
    },
    source: {
      repository: 'https://github.com/acme/checkout',
      commit: `c-${version}`,
    },
    labels: { team: 'payments' },
  };
}

function withoutEntityRef(body: Record<string, unknown>) {
  const { entityRef: _omitted, ...rest } = body;
  return rest;
}

async function register(
  server: Server,
  version: string,
  extra: Record<string, unknown> = {},
): Promise<Release> {
  const response = await request(server)
    .post(`${BASE}/v1/releases`)
    .set('Authorization', ALICE)
    .send({ ...releaseBody(version), ...extra });
  expect(response.status).toBe(201);
  return response.body;
}

/** Waits until the release is current in development, then promotes it to staging and waits for success. */
async function promoteToStaging(
  server: Server,
  release: Release,
): Promise<Deployment> {
  await waitForCurrent(server, 'development', release.id);
  const response = await request(server)
    .post(`${BASE}/v1/promotions`)
    .set('Authorization', ALICE)
    .send({
      entityRef: ENTITY_REF,
      releaseId: release.id,
      environment: 'staging',
    });
  expect(response.status).toBe(202);
  const deployment = await waitForDeployment(server, response.body.id);
  expect(deployment.status).toBe('succeeded');
  return deployment;
}

async function getDeployment(server: Server, id: string): Promise<Deployment> {
  const response = await request(server)
    .get(`${BASE}/v1/deployments/${id}`)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

function waitForDeployment(server: Server, id: string): Promise<Deployment> {
  return eventually(
    () => getDeployment(server, id),
    deployment => TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status),
    `deployment ${id} to finish`,
    WAIT_MS,
  );
}

async function environment(server: Server, name: string) {
  const response = await request(server)
    .get(`${ENTITY_PATH}/environments`)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  const body: EnvironmentsResponse = response.body;
  return body.environments.find(e => e.name === name)!;
}

function waitForCurrent(server: Server, name: string, releaseId: string) {
  return eventually(
    () => environment(server, name),
    env =>
      env.currentRelease?.id === releaseId &&
      env.currentDeployment?.status === 'succeeded',
    `release ${releaseId} to be current in ${name}`,
    WAIT_MS,
  );
}

async function listReleases(
  server: Server,
  query: Record<string, string> = {},
): Promise<Page<Release>> {
  const response = await request(server)
    .get(`${ENTITY_PATH}/releases`)
    .query(query)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

async function listDeployments(
  server: Server,
  environmentName?: string,
): Promise<Page<Deployment>> {
  const response = await request(server)
    .get(`${ENTITY_PATH}/deployments`)
    .query(environmentName ? { environment: environmentName } : {})
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

async function listEvents(
  server: Server,
  query: Record<string, string> = {},
): Promise<Page<ReleaseEvent>> {
  const response = await request(server)
    .get(`${ENTITY_PATH}/events`)
    .query(query)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

function gate(
  gates: Array<{ name: string; passed: boolean; message: string }>,
  name: string,
) {
  const found = gates?.find(g => g.name === name);
  if (!found) {
    throw new Error(`no gate ${name} in ${JSON.stringify(gates)}`);
  }
  return found;
}

/**
 * Requests no route may accept, for every route of the OpenAPI document: bad
 * path parameters, bodies of the wrong shape or with bad text, bad queries.
 */
const CHECKOUT_PATH_PARAMETERS: Record<string, string> = {
  kind: 'component',
  namespace: 'default',
  name: 'checkout',
};

function malformedRequests(releaseId: string) {
  const badSegments = [
    'a%00b',
    '%ED%A0%80',
    '%',
    '..',
    '%2e%2e',
    "x'; drop table releases; --",
    'x'.repeat(3000),
  ];
  const badBodies: Array<string | undefined> = [
    undefined,
    '',
    'null',
    '[]',
    '"text"',
    '{"entityRef":',
    '{}',
    JSON.stringify({ entityRef: 12, version: {}, releaseId: [] }),
    JSON.stringify({
      entityRef: 'component:default/checkout',
      version: '9.9.9\u0000',
      releaseId: `${releaseId}\u0000`,
      environment: 'staging\uD800',
      reason: 'x',
      decision: 'approve',
      status: 'succeeded',
      name: 'n',
      observations: [{ entityRef: '\u0000' }],
    }),
    `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  ];
  const badQueries: Array<Record<string, string>> = [
    { limit: '-1' },
    { limit: 'many' },
    { cursor: '!!!' },
    { cursor: Buffer.from('{"seq":-1}').toString('base64url') },
    { environment: 'a\u0000b' },
    { days: '0' },
    { unknown: 'x' },
  ];
  const calls: Array<{
    method: 'get' | 'post' | 'delete';
    path: string;
    body?: string;
    query?: Record<string, string>;
  }> = [];
  for (const [template, operations] of Object.entries(spec.paths)) {
    for (const method of Object.keys(operations) as Array<
      'get' | 'post' | 'delete'
    >) {
      const fill = (value: string) =>
        template.replace(
          /\{(\w+)\}/g,
          (_m, name: string) => CHECKOUT_PATH_PARAMETERS[name] ?? value,
        );
      if (template.includes('{')) {
        for (const segment of badSegments) {
          calls.push({
            method,
            path: template.replace(/\{\w+\}/g, segment),
            body: method === 'post' ? '{}' : undefined,
          });
        }
      }
      const path = fill(releaseId);
      if (method === 'post') {
        for (const body of badBodies) {
          calls.push({ method, path, body });
        }
      } else if (method === 'get' && template !== '/health') {
        for (const query of badQueries) {
          calls.push({ method, path, query });
        }
      }
    }
  }
  return calls;
}
