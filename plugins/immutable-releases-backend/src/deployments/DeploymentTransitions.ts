import {
  Deployment,
  DeploymentStatus,
} from 'backstage-plugin-immutable-releases-common';
import { AuditTrail, ENGINE_ACTOR, eventFor } from '../audit/AuditTrail';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { describeVerification, VerificationPlan } from './verificationPlan';

const WAITING_FOR_CALLBACK = 'waiting for the executor to report completion';

/** How a deployment ended, and what else that changes. */
export interface DeploymentEnd {
  status: Extract<DeploymentStatus, 'succeeded' | 'failed'>;
  actor: string;
  message: string;
  /** The statuses the deployment may be in; in any other it is left alone. */
  expected: DeploymentStatus[];
  executor?: Deployment['executor'];
  /** Only while the deployment waits for an asynchronous executor. */
  fromCallback?: boolean;
  /** Sets a blocking hold on the environment, with this reason, in the same transaction. */
  blockingHoldReason?: string;
}

/** What the executor did before verification starts. */
export interface Deployed {
  message: string;
  actor: string;
  executor?: Deployment['executor'];
  fromCallback?: boolean;
}

/**
 * The recorded steps of a running deployment: each a conditional status
 * change and its audit events in one transaction, answering whether it
 * happened (another runner or a callback may have moved the deployment on).
 */
export class DeploymentTransitions {
  constructor(
    private readonly options: {
      db: ReleasesDatabase;
      audit: AuditTrail;
      clock: () => Date;
      leaseMs: number;
      /** The runner whose claim a verification after a callback takes. */
      runnerId: string;
    },
  ) {}

  /** An asynchronous executor took the work: wait for its callback until the timeout. */
  async awaitCallback(
    deployment: Deployment,
    waiting: {
      message?: string;
      executor: Deployment['executor'];
      timeoutMs: number;
    },
  ): Promise<void> {
    const now = this.options.clock();
    await this.options.db.deployments.changeStatus(deployment.id, {
      from: ['running'],
      to: 'running',
      at: now.toISOString(),
      actor: ENGINE_ACTOR,
      message: `${WAITING_FOR_CALLBACK}${
        waiting.message ? `: ${waiting.message}` : ''
      }`,
      ...(waiting.executor ? { executor: waiting.executor } : {}),
      awaitingCallbackUntil: new Date(
        now.getTime() + waiting.timeoutMs,
      ).toISOString(),
    });
  }

  /**
   * Moves a deployment from `running` to `verifying`; when it comes from a
   * callback, the runner takes the claim the asynchronous executor left.
   */
  async beginVerification(
    deployment: Deployment,
    plan: VerificationPlan,
    deployed: Deployed,
  ): Promise<boolean> {
    const { db, audit, clock, leaseMs, runnerId } = this.options;
    const now = clock();
    const events = await db.transaction(async stores => {
      const changed = await stores.deployments.changeStatus(deployment.id, {
        from: ['running'],
        to: 'verifying',
        at: now.toISOString(),
        actor: deployed.actor,
        message: `${deployed.message}; verifying ${describeVerification(plan)}`,
        ...(deployed.executor ? { executor: deployed.executor } : {}),
        ...(deployed.fromCallback
          ? {
              onlyIfAwaitingCallback: true,
              lease: {
                owner: runnerId,
                expiresAt: new Date(now.getTime() + leaseMs).toISOString(),
              },
            }
          : {}),
      });
      return changed
        ? audit.record(stores, [
            eventFor(deployment, 'deployment.verifying', deployed.actor, {}),
          ])
        : undefined;
    });
    if (!events) {
      return false;
    }
    await audit.publish(events);
    return true;
  }

  /** Moves a deployment to a terminal status if it is still in one of `end.expected`. */
  async finish(deployment: Deployment, end: DeploymentEnd): Promise<boolean> {
    const { db, audit, clock } = this.options;
    const at = clock().toISOString();
    const events = await db.transaction(async stores => {
      const changed = await stores.deployments.changeStatus(deployment.id, {
        from: end.expected,
        to: end.status,
        at,
        actor: end.actor,
        message: end.message,
        ...(end.executor ? { executor: end.executor } : {}),
        ...(end.fromCallback ? { onlyIfAwaitingCallback: true } : {}),
      });
      if (!changed) {
        return undefined;
      }
      const recorded = [
        eventFor(deployment, `deployment.${end.status}`, end.actor, {
          message: end.message,
        }),
      ];
      if (end.blockingHoldReason) {
        await stores.holds.setHold(
          {
            entityRef: deployment.entityRef,
            environment: deployment.environment,
          },
          {
            reason: end.blockingHoldReason,
            setAt: at,
            setBy: end.actor,
            blocksDeployments: true,
          },
        );
        recorded.push(
          eventFor(deployment, 'hold.set', end.actor, {
            reason: end.blockingHoldReason,
          }),
        );
      }
      return audit.record(stores, recorded);
    });
    if (!events) {
      return false;
    }
    await audit.publish(events);
    return true;
  }
}
