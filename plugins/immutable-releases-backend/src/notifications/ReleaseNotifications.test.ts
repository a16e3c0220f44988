import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { ReleaseNotifications } from './ReleaseNotifications';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { owner: 'group:default/payments' },
};

const turnedUnmanaged: ReleaseEvent = {
  id: 'event-1',
  type: 'drift.changed',
  entityRef: 'component:default/checkout',
  environment: 'production',
  actor: 'observation-source:probe',
  at: '2026-11-30T10:00:00.000Z',
  details: { from: 'in-sync', to: 'unmanaged' },
};

function notificationsWith(
  service: NotificationService,
  backendInstalledHere: boolean,
) {
  const logger = mockServices.logger.mock();
  const notifications = ReleaseNotifications.create({
    notifications: service,
    backendInstalledHere,
    // A drift event needs neither deployments nor releases.
    db: {} as Pick<ReleasesDatabase, 'deployments' | 'releases'>,
    entities: { getEntity: async () => checkout },
    environmentOf: async () => undefined,
    logger,
  });
  return { notifications, logger };
}

describe('ReleaseNotifications', () => {
  it('sends what the rules decide', async () => {
    const send = jest.fn(async () => {});
    const { notifications } = notificationsWith({ send }, true);

    await notifications.notify([
      turnedUnmanaged,
      { ...turnedUnmanaged, details: { to: 'in-sync' } },
    ]);

    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: ['group:default/payments'] },
      }),
    );
  });

  it('warns when a notification cannot be sent though the notifications backend runs here', async () => {
    const { notifications, logger } = notificationsWith(
      {
        send: async () =>
          Promise.reject(new Error('Request failed with status 500')),
      },
      true,
    );

    await notifications.notify([turnedUnmanaged]);

    expect(logger.warn).toHaveBeenCalledWith(
      "Could not send the notification 'checkout runs an unknown release in production' (immutable-releases.drift-unmanaged)",
      expect.objectContaining({ message: 'Request failed with status 500' }),
    );
  });

  it('only mentions it at debug level when the notifications backend is not installed here', async () => {
    const { notifications, logger } = notificationsWith(
      {
        send: async () =>
          Promise.reject(new Error('Request failed with status 404')),
      },
      false,
    );

    await notifications.notify([turnedUnmanaged]);

    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringContaining('the notifications backend is not installed'),
      expect.anything(),
    );
  });

  it('logs, and goes on with the next event, when it cannot work out whom to notify', async () => {
    const send = jest.fn(async () => {});
    const logger = mockServices.logger.mock();
    let lookups = 0;
    const notifications = ReleaseNotifications.create({
      notifications: { send },
      backendInstalledHere: true,
      db: {} as Pick<ReleasesDatabase, 'deployments' | 'releases'>,
      entities: {
        getEntity: async () => {
          lookups += 1;
          if (lookups === 1) {
            throw new Error('catalog unavailable');
          }
          return checkout;
        },
      },
      environmentOf: async () => undefined,
      logger,
    });

    await notifications.notify([turnedUnmanaged, turnedUnmanaged]);

    expect(logger.warn).toHaveBeenCalledWith(
      'Could not work out whom to notify of drift.changed of component:default/checkout',
      expect.objectContaining({ message: 'catalog unavailable' }),
    );
    expect(send).toHaveBeenCalledTimes(1);
  });
});
