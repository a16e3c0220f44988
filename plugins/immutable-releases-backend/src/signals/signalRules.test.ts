import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { signalFor } from './signalRules';

function event(type: string, fields: Partial<ReleaseEvent> = {}): ReleaseEvent {
  return {
    id: 'event-1',
    type,
    entityRef: 'component:default/checkout',
    actor: 'user:default/alice',
    at: '2026-11-30T10:00:00.000Z',
    details: {},
    ...fields,
  };
}

describe('signalFor', () => {
  it('announces a deployment transition on the entity channel to every subscriber', () => {
    expect(
      signalFor(
        event('deployment.running', {
          environment: 'production',
          releaseId: 'release-1',
          deploymentId: 'deployment-1',
        }),
      ),
    ).toEqual({
      channel: 'immutable-releases:component:default/checkout',
      recipients: { type: 'broadcast' },
      message: {
        type: 'deployment.running',
        deploymentId: 'deployment-1',
        environment: 'production',
      },
    });
  });

  it.each([
    'deployment.requested',
    'deployment.succeeded',
    'deployment.superseded',
    'approval.approved',
    'approval.rejected',
    'hold.set',
    'hold.released',
    'drift.changed',
  ])('announces %s', type => {
    expect(signalFor(event(type))?.message.type).toBe(type);
  });

  it('leaves out the deployment and environment when the event has none', () => {
    expect(signalFor(event('hold.released'))?.message).toEqual({
      type: 'hold.released',
    });
  });

  it.each([
    'release.registered',
    'check.recorded',
    'release.revoked',
    'freeze.overridden',
    'promotion.blocked',
  ])(
    'does not announce %s, which changes no deployment, hold or drift',
    type => {
      expect(signalFor(event(type))).toBeUndefined();
    },
  );
});
