import { mockServices } from '@backstage/backend-test-utils';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { latch } from '../__testUtils__/latch';
import { AuditTrail } from './AuditTrail';

function auditTrail(auditor = mockServices.auditor.mock()) {
  const logger = mockServices.logger.mock();
  const audit = new AuditTrail(
    auditor,
    logger,
    () => new Date('2026-11-30T10:00:00.000Z'),
  );
  return { audit, logger };
}

function events(...types: string[]): ReleaseEvent[] {
  return auditTrail().audit.stamp(
    types.map(type => ({
      type,
      entityRef: 'component:default/checkout',
      actor: 'user:default/alice',
      details: {},
    })),
  );
}

describe('AuditTrail.onPublished', () => {
  it('tells each listener of every published batch, in order', async () => {
    const { audit } = auditTrail();
    const told: string[][] = [];
    audit.onPublished(async batch => {
      // A slow listener still hears of the batches in the order published.
      await new Promise(resolve => setTimeout(resolve, 10));
      told.push(batch.map(event => event.type));
    });

    await audit.publish(events('deployment.requested', 'hold.set'));
    await audit.publish([]);
    await audit.publish(events('deployment.running'));
    await audit.whenListenersTold();

    expect(told).toEqual([
      ['deployment.requested', 'hold.set'],
      ['deployment.running'],
    ]);
  });

  it('tells the batches in the order they were published, even when the auditor holds up an earlier one', async () => {
    const auditorReached = latch();
    const auditor = mockServices.auditor.mock();
    auditor.createEvent.mockImplementation(async ({ eventId }) => {
      if (eventId === 'deployment-requested') {
        await auditorReached.opened;
      }
      return { success: async () => {}, fail: async () => {} };
    });
    const { audit } = auditTrail(auditor);
    const told: string[] = [];
    audit.onPublished(async batch => {
      told.push(...batch.map(event => event.type));
    });

    // A deployment begun before its request's events were published ends
    // while the auditor still holds them.
    const requested = audit.publish(events('deployment.requested'));
    const ended = audit.publish(events('deployment.succeeded'));
    auditorReached.open();
    await Promise.all([requested, ended]);
    await audit.whenListenersTold();

    expect(told).toEqual(['deployment.requested', 'deployment.succeeded']);
    expect(auditor.createEvent.mock.calls.map(([e]) => e.eventId)).toEqual([
      'deployment-requested',
      'deployment-succeeded',
    ]);
  });

  it('neither waits for a listener nor fails when one throws; it logs, and tells the others and later batches', async () => {
    const { audit, logger } = auditTrail();
    let release: () => void = () => {};
    const slow = new Promise<void>(resolve => {
      release = resolve;
    });
    const failing = jest.fn(async () => {
      await slow;
      throw new Error('notifications are down');
    });
    const told: string[] = [];
    audit.onPublished(failing);
    audit.onPublished(async batch => {
      told.push(...batch.map(event => event.type));
    });

    await expect(
      audit.publish(events('deployment.failed')),
    ).resolves.toBeUndefined();
    release();
    await audit.publish(events('deployment.requested'));
    await audit.whenListenersTold();

    expect(failing).toHaveBeenCalledTimes(2);
    expect(told).toEqual(['deployment.failed', 'deployment.requested']);
    expect(logger.warn).toHaveBeenCalledWith(
      'A listener of committed audit events failed on deployment.failed',
      expect.objectContaining({ message: 'notifications are down' }),
    );
  });
});
