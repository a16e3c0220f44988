import { createTestDatabases, eventually } from '@internal/test-utils';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';
import { API, CHECKOUT, demoReleaseCalls } from './__testUtils__/demoReleases';

jest.setTimeout(180_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'the demo backend’s notifications on %p',
  databaseId => {
    let demo: DemoBackend;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      demo = await startDemoBackend(databases, databaseId);
      for (const user of ['alice', 'bob', 'carol']) {
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

    /** The approval notification on `user`'s notifications page, once its title matches. */
    async function approvalNotificationOf(user: string, title: string) {
      return eventually(async () => {
        const { status, body } = await demo.call(
          tokens[user],
          'GET',
          '/api/notifications/notifications',
        );
        expect(status).toBe(200);
        const notifications = body.notifications.filter(
          (n: { payload: { topic: string } }) =>
            n.payload.topic === 'immutable-releases.approval-requested',
        );
        expect(notifications).toHaveLength(1);
        expect(notifications[0].payload.title).toBe(title);
        return notifications[0];
      });
    }

    it('asks the release managers to approve production, and tells them when it was approved', async () => {
      const releaseId = await registerAndDeployToDevelopment('1.0.0');
      const staging = await demo.call(
        tokens.carol,
        'POST',
        `${API}/v1/promotions`,
        { entityRef: CHECKOUT, releaseId, environment: 'staging' },
      );
      await waitForStatus(staging.body.id, 'succeeded');

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

      // The group release-managers resolves to its members through the catalog.
      const asked = await approvalNotificationOf(
        'alice',
        'checkout 1.0.0 waits for your approval in production',
      );
      expect(asked.payload).toMatchObject({
        description:
          'Requested by carol: go live. It needs 2 approvals before it starts.',
        link: `/catalog/default/component/checkout/releases/deployments/${production.body.id}`,
      });
      await approvalNotificationOf(
        'bob',
        'checkout 1.0.0 waits for your approval in production',
      );

      const approvalsPath = `${API}/v1/deployments/${production.body.id}/approvals`;
      for (const user of ['alice', 'bob']) {
        const approved = await demo.call(tokens[user], 'POST', approvalsPath, {
          decision: 'approve',
        });
        expect(approved.status).toBe(201);
      }
      await waitForStatus(production.body.id, 'succeeded');

      const updated = await approvalNotificationOf(
        'alice',
        'checkout 1.0.0 was approved for production',
      );
      expect(updated.id).toBe(asked.id);
      expect(updated.payload.description).toBe('Approved by alice and bob.');
    });
  },
);
