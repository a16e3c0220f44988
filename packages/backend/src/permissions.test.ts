import { createTestDatabases, eventually } from '@internal/test-utils';
import { immutableReleasesPermissions } from 'backstage-plugin-immutable-releases-common';
import {
  DemoBackend,
  RESTRICTED_CI_TOKEN,
  startDemoBackend,
} from './__testUtils__/demoBackend';
import {
  API,
  CHECKOUT,
  CHECKOUT_PATH,
  demoReleaseCalls,
  digestOf,
  releaseBody,
} from './__testUtils__/demoReleases';

jest.setTimeout(180_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'the demo backend’s permissions on %p',
  databaseId => {
    let demo: DemoBackend;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      demo = await startDemoBackend(databases, databaseId);
      for (const user of ['alice', 'bob', 'carol', 'dave']) {
        tokens[user] = await demo.signIn(user);
      }
    });

    afterAll(async () => {
      await demo?.stop();
    });

    const { registerAndDeployToDevelopment, waitForStatus } = demoReleaseCalls(
      () => demo,
      () => tokens.carol,
    );

    it('registers every permission with the permissions registry, all but read on catalog-entity', async () => {
      const { status, body } = await demo.call(
        tokens.dave,
        'GET',
        `${API}/.well-known/backstage/permissions/metadata`,
      );
      expect(status).toBe(200);
      const resourceTypeByName = Object.fromEntries(
        body.permissions.map((p: { name: string; resourceType?: string }) => [
          p.name,
          p.resourceType ?? 'none (basic permission)',
        ]),
      );
      expect(resourceTypeByName).toEqual({
        'immutable-releases.release.read': 'none (basic permission)',
        'immutable-releases.release.create': 'catalog-entity',
        'immutable-releases.release.revoke': 'catalog-entity',
        'immutable-releases.promotion.create': 'catalog-entity',
        'immutable-releases.promotion.approve': 'catalog-entity',
        'immutable-releases.rollback.create': 'catalog-entity',
        'immutable-releases.freeze.override': 'catalog-entity',
        'immutable-releases.observation.create': 'catalog-entity',
      });
      expect(Object.keys(resourceTypeByName).sort()).toEqual(
        immutableReleasesPermissions.map(p => p.name).sort(),
      );
    });

    it('signs demo users in from the x-demo-user header, with their groups, and nobody else', async () => {
      const response = await fetch(`${demo.baseUrl}/api/auth/demo/refresh`, {
        headers: { 'x-demo-user': 'alice' },
      });
      expect(response.status).toBe(200);
      const { backstageIdentity } = await response.json();
      expect(backstageIdentity.identity).toMatchObject({
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: expect.arrayContaining([
          'user:default/alice',
          'group:default/release-managers',
        ]),
      });

      const unknown = await fetch(`${demo.baseUrl}/api/auth/demo/refresh`, {
        headers: { 'x-demo-user': 'mallory' },
      });
      expect(unknown.status).toBe(401);
      expect((await unknown.json()).error.message).toMatch(
        /user:default\/mallory is not a user in the catalog/,
      );

      const noHeader = await fetch(`${demo.baseUrl}/api/auth/demo/refresh`);
      expect(noHeader.status).toBe(401);
      expect((await noHeader.json()).error.message).toMatch(/x-demo-user/);

      const group = await fetch(`${demo.baseUrl}/api/auth/demo/refresh`, {
        headers: { 'x-demo-user': 'group:default/payments' },
      });
      expect(group.status).toBe(401);
    });

    it('lets owners promote and roll back, refuses others with the permission named, and needs two release managers to approve production', async () => {
      const releaseId = await registerAndDeployToDevelopment('1.0.0');

      // dave (storefront) and alice (release manager) do not own checkout.
      for (const user of ['dave', 'alice']) {
        const refused = await demo.call(
          tokens[user],
          'POST',
          `${API}/v1/promotions`,
          { entityRef: CHECKOUT, releaseId, environment: 'staging' },
        );
        expect(refused.status).toBe(403);
        expect(refused.body.error).toMatchObject({
          name: 'NotAllowedError',
          message:
            'immutable-releases.promotion.create is not allowed on component:default/checkout',
        });
      }

      // carol (payments, the owner) may.
      const staging = await demo.call(
        tokens.carol,
        'POST',
        `${API}/v1/promotions`,
        { entityRef: CHECKOUT, releaseId, environment: 'staging' },
      );
      expect(staging.status).toBe(202);
      expect(staging.body.requestedBy).toBe('user:default/carol');
      await waitForStatus(staging.body.id, 'succeeded');

      // Production waits for two approvals from release managers.
      const production = await demo.call(
        tokens.carol,
        'POST',
        `${API}/v1/promotions`,
        {
          entityRef: CHECKOUT,
          releaseId,
          environment: 'production',
          reason: 'go live',
        },
      );
      expect(production.status).toBe(202);
      expect(production.body.status).toBe('pending');
      const approvalsPath = `${API}/v1/deployments/${production.body.id}/approvals`;
      for (const user of ['carol', 'dave']) {
        const refused = await demo.call(tokens[user], 'POST', approvalsPath, {
          decision: 'approve',
        });
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toBe(
          'immutable-releases.promotion.approve is not allowed on component:default/checkout',
        );
      }
      expect(
        (
          await demo.call(tokens.alice, 'POST', approvalsPath, {
            decision: 'approve',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await demo.call(tokens.bob, 'POST', approvalsPath, {
            decision: 'approve',
          })
        ).status,
      ).toBe(201);
      const deployed = await waitForStatus(production.body.id, 'succeeded');
      expect(deployed.requestedBy).toBe('user:default/carol');
      expect(
        deployed.approvals.map((a: { approver: string }) => a.approver),
      ).toEqual(['user:default/alice', 'user:default/bob']);

      // Rolling back: dave may not, carol may.
      const rollbackBody = {
        entityRef: CHECKOUT,
        environment: 'development',
        reason: 'test',
      };
      const refusedRollback = await demo.call(
        tokens.dave,
        'POST',
        `${API}/v1/rollbacks`,
        rollbackBody,
      );
      expect(refusedRollback.status).toBe(403);
      expect(refusedRollback.body.error.message).toBe(
        'immutable-releases.rollback.create is not allowed on component:default/checkout',
      );
      await registerAndDeployToDevelopment('1.0.1');
      const rollback = await demo.call(
        tokens.carol,
        'POST',
        `${API}/v1/rollbacks`,
        rollbackBody,
      );
      expect(rollback.status).toBe(202);
      expect(rollback.body).toMatchObject({
        kind: 'rollback',
        requestedBy: 'user:default/carol',
      });
      await waitForStatus(rollback.body.id, 'succeeded');
      // The rollback held development; dave may not release the hold, carol may.
      const holdPath = `${CHECKOUT_PATH}/environments/development/hold`;
      expect((await demo.call(tokens.dave, 'DELETE', holdPath)).status).toBe(
        403,
      );
      expect((await demo.call(tokens.carol, 'DELETE', holdPath)).status).toBe(
        204,
      );

      // Everyone may read.
      const events = await demo.call(
        tokens.dave,
        'GET',
        `${CHECKOUT_PATH}/events`,
      );
      expect(events.status).toBe(200);
    });

    it('lets a CI token restricted by accessRestrictions register releases and report checks, and nothing else', async () => {
      const registered = await demo.call(
        RESTRICTED_CI_TOKEN,
        'POST',
        `${API}/v1/releases`,
        releaseBody('2.0.0'),
      );
      expect(registered.status).toBe(201);
      expect(registered.body.createdBy).toBe('ci-pipeline');
      const releaseId = registered.body.id;

      const check = await demo.call(
        RESTRICTED_CI_TOKEN,
        'POST',
        `${API}/v1/releases/${releaseId}/checks`,
        { name: 'security-scan', status: 'passed' },
      );
      expect(check.status).toBe(201);
      expect(check.body.recordedBy).toBe('ci-pipeline');

      const refused: Array<[string, 'GET' | 'POST', string, unknown]> = [
        [
          'promotion.create',
          'POST',
          `${API}/v1/promotions`,
          { entityRef: CHECKOUT, releaseId, environment: 'development' },
        ],
        [
          'rollback.create',
          'POST',
          `${API}/v1/rollbacks`,
          { entityRef: CHECKOUT, environment: 'development', reason: 'ci' },
        ],
        [
          'release.revoke',
          'POST',
          `${API}/v1/releases/${releaseId}/revoke`,
          { reason: 'ci' },
        ],
        ['release.read', 'GET', `${CHECKOUT_PATH}/releases`, undefined],
      ];
      for (const [permission, method, url, body] of refused) {
        const response = await demo.call(
          RESTRICTED_CI_TOKEN,
          method,
          url,
          body,
        );
        expect({ permission, status: response.status }).toEqual({
          permission,
          status: 403,
        });
        expect(response.body.error.message).toContain(
          `immutable-releases.${permission} is not allowed`,
        );
      }

      // The token is only valid for Immutable Releases.
      const catalog = await demo.call(
        RESTRICTED_CI_TOKEN,
        'GET',
        '/api/catalog/entities/by-name/component/default/checkout',
      );
      expect(catalog.status).toBe(403);
      expect(catalog.body.error.message).toBe(
        "This token's access is restricted to plugin(s) 'immutable-releases'",
      );
    });

    it('runs the templates as the user who started them: the deployment is requested by that user, and a non-owner fails clearly', async () => {
      await registerAndDeployToDevelopment('3.0.0');

      async function runTemplate(
        user: string,
        templateRef: string,
        values: object,
      ) {
        const created = await demo.call(
          tokens[user],
          'POST',
          '/api/scaffolder/v2/tasks',
          {
            templateRef,
            values,
          },
        );
        expect(created.status).toBe(201);
        return eventually(async () => {
          const { body: task } = await demo.call(
            tokens[user],
            'GET',
            `/api/scaffolder/v2/tasks/${created.body.id}`,
          );
          expect(['completed', 'failed']).toContain(task.status);
          const { body: events } = await demo.call(
            tokens[user],
            'GET',
            `/api/scaffolder/v2/tasks/${created.body.id}/events`,
          );
          const completion = events.find(
            (e: { type: string }) => e.type === 'completion',
          );
          return { status: task.status as string, completion, events };
        }, 60_000);
      }

      const promoted = await runTemplate(
        'carol',
        'template:default/promote-release',
        {
          entityRef: CHECKOUT,
          version: '3.0.0',
          environment: 'staging',
          reason: 'from the portal',
          waitForCompletion: true,
        },
      );
      expect(promoted.status).toBe('completed');
      const output = promoted.completion.body.output;
      expect(output.links).toEqual([
        expect.objectContaining({
          url: 'http://localhost:3000/catalog/default/component/checkout/releases',
        }),
      ]);
      const { body: deployments } = await demo.call(
        tokens.carol,
        'GET',
        `${CHECKOUT_PATH}/deployments?environment=staging`,
      );
      const viaTemplate = deployments.items.find(
        (d: { release: { version: string } }) => d.release.version === '3.0.0',
      );
      expect(viaTemplate).toMatchObject({
        status: 'succeeded',
        requestedBy: 'user:default/carol',
        reason: 'from the portal',
      });

      const refused = await runTemplate(
        'dave',
        'template:default/promote-release',
        {
          entityRef: CHECKOUT,
          version: '3.0.0',
          environment: 'production',
          waitForCompletion: false,
        },
      );
      expect(refused.status).toBe('failed');
      expect(JSON.stringify(refused.events)).toMatch(
        /immutable-releases\.promotion\.create is not allowed on component:default\/checkout/,
      );

      const registered = await runTemplate(
        'carol',
        'template:default/register-first-release',
        {
          entityRef: 'component:default/ledger',
          version: '0.1.0',
          artifactType: 'vm-image',
          uri: 'images.example.com/ledger',
          digest: digestOf('ledger 0.1.0'),
        },
      );
      expect(registered.status).toBe('completed');
      const { body: ledgerReleases } = await demo.call(
        tokens.dave,
        'GET',
        `${API}/v1/entities/component/default/ledger/releases`,
      );
      expect(ledgerReleases.items).toEqual([
        expect.objectContaining({
          version: '0.1.0',
          createdBy: 'user:default/carol',
        }),
      ]);
    });
  },
);
