import request from 'supertest';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import { createTestDatabases } from '@internal/test-utils';
import {
  BASE,
  ENTITY_REF,
  ENTITY_PATH,
  ALICE,
  CI,
  CI_SUBJECT,
  pluginBackendStarter,
  promoteToStaging,
  releaseBody,
  register,
  waitForCurrent,
  listReleases,
  listEvents,
} from './__testUtils__/pluginBackend';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'immutable-releases plugin on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

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

    it('looks a release up by its exact version', async () => {
      const { server } = await start();
      await register(server, '1.0.0');
      const wanted = await register(server, '1.0.1');
      const newest = await register(server, '1.0.10');
      // Once the newest is current, no deployment changes the releases any more.
      await waitForCurrent(server, 'development', newest.id);

      const found = await listReleases(server, { version: '1.0.1' });
      expect(found.items.map(r => [r.id, r.version])).toEqual([
        [wanted.id, '1.0.1'],
      ]);
      expect(found.nextCursor).toBeNull();
      const paged = await listReleases(server);
      expect(found.items[0]).toEqual(
        paged.items.find(release => release.id === wanted.id),
      );

      expect(await listReleases(server, { version: '1.0' })).toEqual({
        items: [],
        nextCursor: null,
      });
      const blank = await request(server)
        .get(`${ENTITY_PATH}/releases`)
        .query({ version: '' })
        .set('Authorization', ALICE);
      expect(blank.status).toBe(400);
      expect(blank.body.error.message).toMatch(/version/);
    });

    it('lists the deployments of one release', async () => {
      const { server } = await start();
      const older = await register(server, '1.0.0');
      await waitForCurrent(server, 'development', older.id);
      const newer = await register(server, '1.0.1');
      await waitForCurrent(server, 'development', newer.id);

      const ofOlder = await request(server)
        .get(`${ENTITY_PATH}/deployments`)
        .query({ releaseId: older.id })
        .set('Authorization', ALICE);
      expect(ofOlder.status).toBe(200);
      expect(
        ofOlder.body.items.map((d: Deployment) => [d.releaseId, d.environment]),
      ).toEqual([[older.id, 'development']]);

      const ofNobody = await request(server)
        .get(`${ENTITY_PATH}/deployments`)
        .query({ releaseId: 'no-such-release' })
        .set('Authorization', ALICE);
      expect(ofNobody.body).toEqual({ items: [], nextCursor: null });

      const blank = await request(server)
        .get(`${ENTITY_PATH}/deployments`)
        .query({ releaseId: '' })
        .set('Authorization', ALICE);
      expect(blank.status).toBe(400);
      expect(blank.body.error.message).toMatch(/releaseId/);
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

    it('filters the audit trail by environment, type, actor, deployment and release, and refuses bad filters naming them', async () => {
      const { server } = await start();
      const first = await register(server, '1.0.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      const staging = await promoteToStaging(server, first);
      const second = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', CI)
        .send(releaseBody('1.0.1'));
      expect(second.status).toBe(201);
      await waitForCurrent(server, 'development', second.body.id);
      /** The events a query string keeps (repeatable parameters as `a=1&a=2`). */
      const eventsOf = async (query: string): Promise<ReleaseEvent[]> => {
        const response = await request(server)
          .get(`${ENTITY_PATH}/events?${query}`)
          .set('Authorization', ALICE);
        expect(response.status).toBe(200);
        return response.body.items;
      };

      const inStaging = await eventsOf('environment=staging');
      expect(inStaging.map(e => e.type)).toEqual([
        'deployment.succeeded',
        'deployment.running',
        'deployment.requested',
      ]);
      expect(inStaging.every(e => e.deploymentId === staging.id)).toBe(true);
      expect(inStaging[1].details).toMatchObject({
        kind: 'promotion',
        version: '1.0.0',
      });

      expect(
        (await eventsOf('type=release.')).map(e => e.details.version),
      ).toEqual(['1.0.1', '1.0.0']);
      expect(
        (
          await eventsOf('type=release.registered&type=deployment.requested')
        ).map(e => `${e.type} ${e.environment ?? ''}`),
      ).toEqual([
        'deployment.requested development',
        'release.registered ',
        'deployment.requested staging',
        'deployment.requested development',
        'release.registered ',
      ]);
      expect(
        (await eventsOf(`actor=${encodeURIComponent(CI_SUBJECT)}`)).map(
          e => e.releaseId,
        ),
      ).toEqual([second.body.id]);
      expect(
        await eventsOf(`deploymentId=${encodeURIComponent(staging.id)}`),
      ).toEqual(inStaging);
      const ofFirst = await eventsOf(`releaseId=${first.id}&type=deployment.`);
      expect(ofFirst).toHaveLength(6);
      expect(ofFirst.every(e => e.releaseId === first.id)).toBe(true);

      for (const [query, named] of [
        ['type=deploy.', /type 'deploy\.'/],
        ['type=Deployment', /type/],
        ['environment=', /environment/],
        ['deploymentId=', /deploymentId/],
        ['releaseId=', /releaseId/],
        [`actor=${'a'.repeat(256)}`, /actor/],
      ] as const) {
        const response = await request(server)
          .get(`${ENTITY_PATH}/events?${query}`)
          .set('Authorization', ALICE);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(named);
      }
    });
  },
);
