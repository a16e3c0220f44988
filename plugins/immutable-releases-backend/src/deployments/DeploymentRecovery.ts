import { AuditTrail, ENGINE_ACTOR } from '../audit/AuditTrail';
import { environmentKeyId } from '../database/ObservationStore';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { DeploymentRunner } from './DeploymentRunner';

/**
 * Cleans up after what did not finish: deployments whose runner vanished or
 * whose asynchronous executor never called back, and blocking holds that an
 * observation has since settled. Every replica runs it on a schedule.
 */
export class DeploymentRecovery {
  constructor(
    private readonly options: {
      db: ReleasesDatabase;
      runner: DeploymentRunner;
      audit: AuditTrail;
      clock: () => Date;
    },
  ) {}

  /**
   * Fails deployments whose runner vanished (its claim expired; their
   * environment is then held until what runs is known) or whose asynchronous
   * executor never called back, releases the holds that an observation
   * settled, then starts what waits.
   */
  async recover(): Promise<void> {
    const { db, runner, clock } = this.options;
    const now = clock().toISOString();
    for (const { deployment, cause } of await db.deployments.listAbandoned(
      now,
    )) {
      await runner.finish(deployment, {
        status: 'failed',
        actor: ENGINE_ACTOR,
        expected: ['running', 'verifying'],
        ...(cause === 'callback-overdue'
          ? {
              message:
                'the executor did not report completion in time; check the target environment, then promote or roll back',
            }
          : {
              // The command may have finished, failed or stopped half-way:
              // nothing more starts here until what runs is known again.
              message:
                'the backend instance running this deployment stopped before it finished; its outcome is unknown',
              blockingHoldReason: `the outcome of deploying ${deployment.release.version} is unknown: the backend instance running it stopped before it finished. Check what runs in ${deployment.environment}; pending deployments wait until someone releases this hold or an observation reports what runs`,
            }),
      });
    }
    await this.settleBlockingHolds();
    await runner.startNextIn(
      await db.deployments.listEnvironmentsWithPending(),
    );
  }

  /**
   * Releases each blocking hold that an observation made since it was set:
   * what runs is known again (and its drift status says whether it is the
   * current release).
   */
  private async settleBlockingHolds(): Promise<void> {
    const { db, audit } = this.options;
    const holds = await db.holds.listBlockingHolds();
    if (holds.length === 0) {
      return;
    }
    const driftStates = await db.observations.getDriftStates(holds);
    for (const hold of holds) {
      const observed = driftStates.get(environmentKeyId(hold));
      if (!observed?.observedAt || observed.observedAt <= hold.setAt) {
        continue;
      }
      const events = await db.transaction(async stores =>
        (await stores.holds.releaseHold(hold))
          ? audit.record(stores, [
              {
                type: 'hold.released',
                entityRef: hold.entityRef,
                environment: hold.environment,
                actor: ENGINE_ACTOR,
                details: {
                  reason: `${observed.observedSource} observed ${observed.observedDigest} running at ${observed.observedAt}`,
                },
              },
            ])
          : [],
      );
      await audit.publish(events);
    }
  }
}
