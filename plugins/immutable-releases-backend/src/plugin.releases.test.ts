import type { Release } from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import { digestOf } from './__testUtils__/testEngine';
import {
  BASE,
  ENTITY_REF,
  ENTITY_PATH,
  ALICE,
  CI,
  CI_SUBJECT,
  STATIC_TOKEN,
  pluginBackendStarter,
  releaseBody,
  withoutEntityRef,
  register,
  environment,
  waitForCurrent,
  listReleases,
  listDeployments,
  listEvents,
  gate,
} from './__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'immutable-releases plugin on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

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

    it('looks a release up by its exact version', async () => {
      const { server } = await start();
      for (const version of ['1.0.0', '1.0.1', '1.0.10']) {
        const created = await request(server)
          .post(`${BASE}/v1/releases`)
          .set('Authorization', CI)
          .send(releaseBody(version));
        expect(created.status).toBe(201);
      }
      const lookUp = (version: string) =>
        request(server)
          .get(`${ENTITY_PATH}/releases`)
          .query({ version })
          .set('Authorization', CI);

      const found = await lookUp('1.0.1');
      expect(found.status).toBe(200);
      expect(found.body.items.map((r: Release) => r.version)).toEqual([
        '1.0.1',
      ]);
      expect(found.body.nextCursor).toBeNull();
      expect((await lookUp('1.0')).body).toEqual({
        items: [],
        nextCursor: null,
      });
      const empty = await lookUp('');
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/version/);
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
  },
);
