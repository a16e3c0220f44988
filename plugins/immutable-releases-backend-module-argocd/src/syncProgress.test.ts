import { Application } from './argoCdTypes';
import { syncProgress } from './syncProgress';

const BEFORE = '2026-01-10T10:00:00Z';
const STARTED = '2026-01-10T10:05:00Z';
const FINISHED = '2026-01-10T10:05:20Z';

function application(status: Application['status']): Application {
  return {
    metadata: { name: 'checkout-production' },
    spec: { source: {} },
    status,
  };
}

describe('syncProgress', () => {
  it('waits while only the previous operation is known', () => {
    expect(
      syncProgress(
        application({
          sync: { status: 'OutOfSync' },
          health: { status: 'Healthy' },
          operationState: {
            phase: 'Succeeded',
            startedAt: BEFORE,
            finishedAt: BEFORE,
          },
          reconciledAt: STARTED,
        }),
        BEFORE,
      ),
    ).toEqual({
      state: 'waiting',
      status:
        'sync OutOfSync, health Healthy, operation Succeeded, sync not started yet',
    });
  });

  it('waits through a running operation and an unreconciled or progressing application', () => {
    const running = application({
      sync: { status: 'OutOfSync' },
      health: { status: 'Progressing' },
      operationState: { phase: 'Running', startedAt: STARTED },
    });
    expect(syncProgress(running, BEFORE).state).toBe('waiting');
    const notReconciled = application({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      operationState: {
        phase: 'Succeeded',
        startedAt: STARTED,
        finishedAt: FINISHED,
      },
      reconciledAt: STARTED,
    });
    expect(syncProgress(notReconciled, BEFORE)).toEqual({
      state: 'waiting',
      status:
        'sync Synced, health Healthy, operation Succeeded, not reconciled since the sync finished',
    });
    const progressing = application({
      sync: { status: 'Synced' },
      health: { status: 'Progressing' },
      operationState: {
        phase: 'Succeeded',
        startedAt: STARTED,
        finishedAt: FINISHED,
      },
      reconciledAt: FINISHED,
    });
    expect(syncProgress(progressing, BEFORE).state).toBe('waiting');
  });

  it('completes once the new operation succeeded and the application is Synced and Healthy', () => {
    expect(
      syncProgress(
        application({
          sync: { status: 'Synced' },
          health: { status: 'Healthy' },
          operationState: {
            phase: 'Succeeded',
            startedAt: STARTED,
            finishedAt: FINISHED,
          },
          reconciledAt: FINISHED,
        }),
        undefined,
      ),
    ).toEqual({
      state: 'complete',
      status: 'sync Synced, health Healthy, operation Succeeded',
    });
  });

  it("fails a failed operation with Argo CD's message", () => {
    expect(
      syncProgress(
        application({
          operationState: {
            phase: 'Failed',
            startedAt: STARTED,
            message: 'one or more objects failed to apply',
          },
        }),
        BEFORE,
      ),
    ).toMatchObject({
      state: 'failed',
      reason: 'sync operation Failed: one or more objects failed to apply',
    });
  });

  it('fails Degraded after the sync, naming the degraded resources when the application has no message', () => {
    const degraded = (health: { status: string; message?: string }) =>
      application({
        sync: { status: 'Synced' },
        health,
        operationState: {
          phase: 'Succeeded',
          startedAt: STARTED,
          finishedAt: FINISHED,
        },
        reconciledAt: FINISHED,
        resources: [
          { kind: 'Service', name: 'checkout', health: { status: 'Healthy' } },
          {
            kind: 'Deployment',
            name: 'checkout',
            health: {
              status: 'Degraded',
              message: 'Deployment "checkout" exceeded its progress deadline',
            },
          },
        ],
      });
    expect(
      syncProgress(degraded({ status: 'Degraded' }), BEFORE),
    ).toMatchObject({
      state: 'failed',
      reason:
        'application is Degraded: Deployment/checkout: Deployment "checkout" exceeded its progress deadline',
    });
    expect(
      syncProgress(
        degraded({ status: 'Degraded', message: 'pods crash-looping' }),
        BEFORE,
      ),
    ).toMatchObject({ reason: 'application is Degraded: pods crash-looping' });
  });
});
