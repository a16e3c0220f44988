import fs from 'node:fs';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { Notification } from '@backstage/plugin-notifications-common';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import {
  createTestDatabases,
  startReleasesTestBackend,
} from '@internal/test-utils';
import { ImmutableReleasesSignal } from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import {
  ALICE,
  BASE,
  CI,
  ENTITY_REF,
  listDeployments,
  promoteToStaging,
  register,
  Server,
  waitForCurrent,
  waitForDeployment,
  WAIT_MS,
} from './__testUtils__/pluginBackend';
import { configWith } from './__testUtils__/promotionScenario';
import {
  digestOf,
  eventually,
  testEntity,
  writeDeployScript,
} from './__testUtils__/testEngine';

jest.setTimeout(60_000);

const ALICE_REF = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const DAVE = 'user:default/dave';
const CHANNEL = 'immutable-releases:component:default/checkout';
const PASSED_CHECKS = [
  { name: 'unit-tests', status: 'passed' },
  { name: 'security-scan', status: 'passed' },
];

/** group:default/payments, owner of the checkout test entity, with dave as its member. */
const paymentsGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [{ type: 'hasMember', targetRef: DAVE }],
};

/** Keeps every signal published, by any plugin, in the order published. */
function recordingSignals() {
  const published: SignalPayload[] = [];
  const factory = createServiceFactory({
    service: signalsServiceRef,
    deps: {},
    factory: () => ({
      async publish(signal: SignalPayload) {
        published.push(signal);
      },
    }),
  });
  return { published, factory };
}

/**
 * The plugin on the test database with the README pipeline, production
 * needing two approvals (notifying `notify`, if given), and `features`
 * beside it.
 */
function backendStarter(databases: TestDatabases, databaseId: TestDatabaseId) {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) {
      await stop();
    }
  });
  return async function start(options: {
    notify?: string[];
    features: BackendFeature[];
  }): Promise<Server> {
    const deploy = writeDeployScript();
    const backend = await startReleasesTestBackend({
      databases,
      databaseId,
      entities: [testEntity('checkout'), paymentsGroup],
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        ...configWith(deploy.script, 'production', {
          approvals: {
            required: 2,
            ...(options.notify ? { notify: options.notify } : {}),
          },
        }),
      },
      features: [
        // A request without credentials is anonymous, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...options.features,
      ],
    });
    stops.push(async () => {
      await backend.stop();
      fs.rmSync(deploy.dir, { recursive: true, force: true });
    });
    return backend.server;
  };
}

/** A release with passing checks, current in staging. */
async function releaseInStaging(server: Server, version: string) {
  const release = await register(server, version, { checks: PASSED_CHECKS });
  await promoteToStaging(server, release);
  return release;
}

async function requestProduction(server: Server, releaseId: string) {
  const response = await request(server)
    .post(`${BASE}/v1/promotions`)
    .set('Authorization', ALICE)
    .send({
      entityRef: ENTITY_REF,
      releaseId,
      environment: 'production',
      reason: 'new payment page',
    });
  expect(response.status).toBe(202);
  expect(response.body.status).toBe('pending');
  return response.body.id as string;
}

async function approve(server: Server, deploymentId: string, user: string) {
  const response = await request(server)
    .post(`${BASE}/v1/deployments/${deploymentId}/approvals`)
    .set('Authorization', mockCredentials.user.header(user))
    .send({ decision: 'approve' });
  expect(response.status).toBe(201);
}

/** What the notifications page shows `user`. */
async function notificationsOf(
  server: Server,
  user: string,
): Promise<Notification[]> {
  const response = await request(server)
    .get('/api/notifications/notifications')
    .set('Authorization', mockCredentials.user.header(user));
  expect(response.status).toBe(200);
  return response.body.notifications;
}

/** Waits until `user` has a notification of `topic` that `done` accepts. */
async function notificationOf(
  server: Server,
  user: string,
  topic: string,
  done: (notification: Notification) => boolean = () => true,
): Promise<Notification> {
  const found = await eventually(
    async () =>
      (
        await notificationsOf(server, user)
      ).find(notification => notification.payload.topic === topic),
    notification => notification !== undefined && done(notification),
    `a ${topic} notification for ${user}`,
    WAIT_MS,
  );
  return found!;
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'notifications and signals of the plugin on %p',
  databaseId => {
    const start = backendStarter(databases, databaseId);

    it('asks the approvers of production, and updates the same notification once the promotion is approved', async () => {
      const server = await start({
        notify: [ALICE_REF, BOB, CAROL],
        features: [notificationsPlugin, recordingSignals().factory],
      });
      const release = await releaseInStaging(server, '1.0.0');

      const deploymentId = await requestProduction(server, release.id);

      const asked = await notificationOf(
        server,
        BOB,
        'immutable-releases.approval-requested',
      );
      expect(asked.payload).toMatchObject({
        title: 'checkout 1.0.0 waits for your approval in production',
        description:
          'Requested by alice: new payment page. It needs 2 approvals before it starts.',
        link: `/catalog/default/component/checkout/releases/deployments/${deploymentId}`,
        scope: `immutable-releases:deployment:${deploymentId}`,
      });
      expect(
        (
          await notificationOf(
            server,
            CAROL,
            'immutable-releases.approval-requested',
          )
        ).payload.title,
      ).toBe('checkout 1.0.0 waits for your approval in production');
      // The requester cannot approve her own promotion: she is not asked.
      expect(await notificationsOf(server, ALICE_REF)).toEqual([]);

      await approve(server, deploymentId, BOB);
      await approve(server, deploymentId, CAROL);
      expect((await waitForDeployment(server, deploymentId)).status).toBe(
        'succeeded',
      );

      const approved = await notificationOf(
        server,
        BOB,
        'immutable-releases.approval-requested',
        notification => notification.payload.title.includes('approved'),
      );
      expect(approved).toMatchObject({
        id: asked.id,
        payload: {
          title: 'checkout 1.0.0 was approved for production',
          description: 'Approved by bob and carol.',
          link: asked.payload.link,
        },
      });
      expect(await notificationsOf(server, BOB)).toHaveLength(1);
    });

    it("asks the entity's owner when no approvers are configured, and says so when the promotion is cancelled", async () => {
      const server = await start({
        features: [notificationsPlugin, recordingSignals().factory],
      });
      const release = await releaseInStaging(server, '1.0.0');
      const deploymentId = await requestProduction(server, release.id);

      const asked = await notificationOf(
        server,
        DAVE,
        'immutable-releases.approval-requested',
      );
      expect(asked.payload.title).toBe(
        'checkout 1.0.0 waits for your approval in production',
      );

      const cancelled = await request(server)
        .post(`${BASE}/v1/deployments/${deploymentId}/cancel`)
        .set('Authorization', ALICE)
        .send({ reason: 'wrong day' });
      expect(cancelled.status).toBe(200);

      expect(
        await notificationOf(
          server,
          DAVE,
          'immutable-releases.approval-requested',
          notification => notification.payload.title.includes('cancelled'),
        ),
      ).toMatchObject({
        id: asked.id,
        payload: {
          title: 'The promotion of checkout 1.0.0 to production was cancelled',
          description: 'Cancelled by alice: wrong day.',
        },
      });
    });

    it("tells the entity's owner that a deployment failed, with a link to it", async () => {
      const server = await start({
        features: [notificationsPlugin, recordingSignals().factory],
      });
      const release = await register(server, '1.0.0', {
        labels: { fail: 'true' },
      });
      const failed = await eventually(
        async () => (await listDeployments(server, 'development')).items[0],
        deployment => deployment?.status === 'failed',
        'the development deployment to fail',
        WAIT_MS,
      );
      expect(failed!.releaseId).toBe(release.id);

      const notification = await notificationOf(
        server,
        DAVE,
        'immutable-releases.deployment-failed',
      );
      expect(notification.payload).toMatchObject({
        title: 'checkout 1.0.0 failed to deploy to development',
        description: 'Command exited with code 3.',
        severity: 'high',
        link: `/catalog/default/component/checkout/releases/deployments/${
          failed!.id
        }`,
      });
    });

    it("tells the entity's owner when an environment runs something that is no release", async () => {
      const server = await start({
        features: [notificationsPlugin, recordingSignals().factory],
      });
      const release = await register(server, '1.0.0');
      await waitForCurrent(server, 'development', release.id);
      const hotPatch = digestOf('hot-patch');

      const observed = await request(server)
        .post(`${BASE}/v1/observations`)
        .set('Authorization', CI)
        .send({
          observations: [
            {
              entityRef: ENTITY_REF,
              environment: 'development',
              digest: hotPatch,
              source: 'cluster-agent',
            },
          ],
        });
      expect(observed.status).toBe(202);

      const notification = await notificationOf(
        server,
        DAVE,
        'immutable-releases.drift-unmanaged',
      );
      expect(notification.payload).toMatchObject({
        title: 'checkout runs an unknown release in development',
        description: expect.stringContaining(
          `What runs in development (${hotPatch}, reported by cluster-agent`,
        ),
        severity: 'high',
        link: '/catalog/default/component/checkout/releases',
      });
    });

    it("signals each transition of a promotion on the entity's channel", async () => {
      const signals = recordingSignals();
      const server = await start({
        features: [notificationsPlugin, signals.factory],
      });
      const release = await releaseInStaging(server, '1.0.0');
      const deploymentId = await requestProduction(server, release.id);
      await approve(server, deploymentId, BOB);
      await approve(server, deploymentId, CAROL);
      await waitForDeployment(server, deploymentId);

      const ofProduction = () =>
        signals.published.filter(
          signal =>
            signal.channel === CHANNEL &&
            (signal.message as ImmutableReleasesSignal).deploymentId ===
              deploymentId,
        );
      await eventually(
        async () => ofProduction().length,
        count => count >= 5,
        'the signals of the production deployment',
        WAIT_MS,
      );
      expect(ofProduction()).toEqual(
        [
          'deployment.requested',
          'approval.approved',
          'approval.approved',
          'deployment.running',
          'deployment.succeeded',
        ].map(type => ({
          channel: CHANNEL,
          recipients: { type: 'broadcast' },
          message: { type, deploymentId, environment: 'production' },
        })),
      );
    });

    it('serves promotions and approvals without the notifications and signals backends', async () => {
      const server = await start({ features: [] });
      const release = await releaseInStaging(server, '1.0.0');

      const deploymentId = await requestProduction(server, release.id);
      await approve(server, deploymentId, BOB);
      await approve(server, deploymentId, CAROL);

      expect((await waitForDeployment(server, deploymentId)).status).toBe(
        'succeeded',
      );
      await waitForCurrent(server, 'production', release.id);
      const notifications = await request(server)
        .get('/api/notifications/notifications')
        .set('Authorization', mockCredentials.user.header(BOB));
      expect(notifications.status).toBe(404);
    });
  },
);
