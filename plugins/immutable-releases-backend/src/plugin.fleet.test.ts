import type {
  FleetEntity,
  Page,
} from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import {
  BASE,
  CI,
  pluginBackendStarter,
  Server,
} from './__testUtils__/pluginBackend';
import { digestOf, eventually, testEntity } from './__testUtils__/testEngine';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'GET /v1/environments (the fleet) on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

    async function startFleet() {
      const ledger = testEntity('ledger', 'vm');
      ledger.spec = { ...ledger.spec, owner: 'storefront' };
      const { server } = await start({
        entities: [testEntity('checkout'), testEntity('payments'), ledger],
        morePipelines: {
          vm: { environments: [{ name: 'production', executor: 'local' }] },
        },
      });
      for (const entity of ['checkout', 'payments', 'ledger']) {
        const registered = await request(server)
          .post(`${BASE}/v1/releases`)
          .set('Authorization', CI)
          .send({
            entityRef: `component:default/${entity}`,
            version: '1.0.0',
            artifact: {
              type: 'oci-image',
              uri: `ghcr.io/acme/${entity}`,
              digest: digestOf(`${entity}-1.0.0`),
            },
          });
        expect(registered.status).toBe(201);
      }
      return server;
    }

    async function fleet(
      server: Server,
      query: string = '',
    ): Promise<Page<FleetEntity>> {
      const response = await request(server)
        .get(`${BASE}/v1/environments${query}`)
        .set('Authorization', CI);
      expect({ query, error: response.body.error }).toEqual({
        query,
        error: undefined,
      });
      expect(response.status).toBe(200);
      return response.body;
    }

    const refs = (page: Page<FleetEntity>) => page.items.map(e => e.entityRef);

    it('shows every entity’s environments, filtered by drift, owner and pipeline, page by page', async () => {
      const server = await startFleet();
      // Development takes every release of the default pipeline by itself.
      await eventually(
        () => fleet(server, '?pipeline=default'),
        page =>
          page.items.every(
            e => e.environments[0].currentRelease?.version === '1.0.0',
          ),
        'development to run 1.0.0 of checkout and payments',
      );
      // Someone patched checkout's production by hand.
      await request(server)
        .post(`${BASE}/v1/observations`)
        .set('Authorization', CI)
        .send({
          observations: [
            {
              entityRef: 'component:default/checkout',
              environment: 'production',
              digest: digestOf('hotfix'),
            },
          ],
        })
        .expect(202);

      const all = await fleet(server);
      expect(refs(all)).toEqual([
        'component:default/checkout',
        'component:default/ledger',
        'component:default/payments',
      ]);
      expect(all.nextCursor).toBeNull();
      expect(all.items[0]).toEqual({
        entityRef: 'component:default/checkout',
        pipeline: 'default',
        environments: [
          {
            name: 'development',
            currentRelease: { id: expect.any(String), version: '1.0.0' },
            drift: { status: 'unknown' },
            held: false,
            pendingCount: 0,
          },
          {
            name: 'staging',
            currentRelease: null,
            drift: { status: 'unknown' },
            held: false,
            pendingCount: 0,
          },
          {
            name: 'production',
            currentRelease: null,
            drift: { status: 'unmanaged' },
            held: false,
            pendingCount: 0,
          },
        ],
      });
      expect(all.items[1]).toMatchObject({
        pipeline: 'vm',
        environments: [{ name: 'production', currentRelease: null }],
      });

      expect(refs(await fleet(server, '?drift=unmanaged'))).toEqual([
        'component:default/checkout',
      ]);
      expect(
        refs(await fleet(server, '?drift=unmanaged&drift=drifted')),
      ).toEqual(['component:default/checkout']);
      expect(refs(await fleet(server, '?drift=in-sync'))).toEqual([]);
      expect(refs(await fleet(server, '?owner=storefront'))).toEqual([
        'component:default/ledger',
      ]);
      expect(
        refs(
          await fleet(
            server,
            `?owner=${encodeURIComponent('group:default/payments')}`,
          ),
        ),
      ).toEqual(['component:default/checkout', 'component:default/payments']);
      expect(refs(await fleet(server, '?pipeline=vm'))).toEqual([
        'component:default/ledger',
      ]);

      const first = await fleet(server, '?limit=2');
      expect(refs(first)).toEqual([
        'component:default/checkout',
        'component:default/ledger',
      ]);
      const second = await fleet(server, `?limit=2&cursor=${first.nextCursor}`);
      expect(refs(second)).toEqual(['component:default/payments']);
      expect(second.nextCursor).toBeNull();

      for (const bad of ['?drift=sideways', '?cursor=nope', '?limit=0']) {
        const response = await request(server)
          .get(`${BASE}/v1/environments${bad}`)
          .set('Authorization', CI);
        expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
      }
    });
  },
);
