import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  Deployment,
  Page,
} from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import {
  BASE,
  CI,
  pluginBackendStarter,
  Server,
  waitForDeployment,
} from './__testUtils__/pluginBackend';
import { digestOf, eventually } from './__testUtils__/testEngine';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

describe.each(databases.eachSupportedId())(
  'GET /v1/approvals on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

    async function startWithApprovals() {
      const { server } = await start({
        environmentChanges: { production: { approvals: { required: 2 } } },
        policy: {
          // dave may do everything but approve.
          async handle(permissionRequest, user) {
            return {
              result:
                permissionRequest.permission.name ===
                  'immutable-releases.promotion.approve' &&
                user?.info.userEntityRef === 'user:default/dave'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            };
          },
        },
      });
      return server;
    }

    /** Registers a release of the entity as CI, takes it through staging, and has carol request production. */
    async function pendingInProduction(
      server: Server,
      entity: string,
    ): Promise<Deployment> {
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
          checks: [
            { name: 'unit-tests', status: 'passed' },
            { name: 'security-scan', status: 'passed' },
          ],
        });
      expect(registered.status).toBe(201);
      const releaseId = registered.body.id;
      for (const environment of ['staging', 'production']) {
        const promoted = await eventually(
          () =>
            request(server)
              .post(`${BASE}/v1/promotions`)
              .set('Authorization', as('carol'))
              .send({
                entityRef: `component:default/${entity}`,
                releaseId,
                environment,
              }),
          // The upstream gate waits for development, then staging.
          response => response.status === 202,
          `${entity} promoted to ${environment}`,
          20_000,
        );
        if (environment === 'staging') {
          expect(
            (await waitForDeployment(server, promoted.body.id)).status,
          ).toBe('succeeded');
        } else {
          expect(promoted.body.status).toBe('pending');
          return promoted.body;
        }
      }
      throw new Error('unreachable');
    }

    async function inbox(
      server: Server,
      who: string,
      query: Record<string, string | number> = {},
    ): Promise<Page<Deployment>> {
      const response = await request(server)
        .get(`${BASE}/v1/approvals`)
        .query(query)
        .set('Authorization', who === 'ci' ? CI : as(who));
      expect(response.status).toBe(200);
      return response.body;
    }

    const ids = (page: Page<Deployment>) => page.items.map(d => d.id);

    it('lists what each person may approve, by the rules the approval applies', async () => {
      const server = await startWithApprovals();
      const checkout = await pendingInProduction(server, 'checkout');
      const payments = await pendingInProduction(server, 'payments');

      // Newest first, page by page.
      expect(ids(await inbox(server, 'alice'))).toEqual([
        payments.id,
        checkout.id,
      ]);
      const first = await inbox(server, 'alice', { limit: 1 });
      expect(ids(first)).toEqual([payments.id]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await inbox(server, 'alice', {
        limit: 1,
        cursor: first.nextCursor!,
      });
      expect(ids(second)).toEqual([checkout.id]);
      expect(second.items[0]).toMatchObject({
        entityRef: 'component:default/checkout',
        environment: 'production',
        status: 'pending',
        requestedBy: 'user:default/carol',
        gates: expect.arrayContaining([
          expect.objectContaining({ name: 'approvals', passed: false }),
        ]),
      });

      // Who requested it does not approve it; nor does whom the policy refuses, nor a service.
      expect(ids(await inbox(server, 'carol'))).toEqual([]);
      expect(ids(await inbox(server, 'dave'))).toEqual([]);
      expect(ids(await inbox(server, 'ci'))).toEqual([]);

      // Once alice decided, it leaves her inbox only.
      const approved = await request(server)
        .post(`${BASE}/v1/deployments/${checkout.id}/approvals`)
        .set('Authorization', as('alice'))
        .send({ decision: 'approve' });
      expect(approved.status).toBe(201);
      expect(ids(await inbox(server, 'alice'))).toEqual([payments.id]);
      expect(ids(await inbox(server, 'bob'))).toEqual([
        payments.id,
        checkout.id,
      ]);

      // The second approval starts it: no longer waiting for anyone.
      await request(server)
        .post(`${BASE}/v1/deployments/${checkout.id}/approvals`)
        .set('Authorization', as('bob'))
        .send({ decision: 'approve' })
        .expect(201);
      expect(ids(await inbox(server, 'erin'))).toEqual([payments.id]);

      const badCursor = await request(server)
        .get(`${BASE}/v1/approvals`)
        .query({ cursor: 'not-a-cursor' })
        .set('Authorization', as('alice'));
      expect(badCursor.status).toBe(400);
      const anonymous = await request(server).get(`${BASE}/v1/approvals`);
      expect(anonymous.status).toBe(401);
    });
  },
);
