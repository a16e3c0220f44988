import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Deployment,
  DeploymentKind,
  GateResult,
  RecordedReleaseEvent,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { ENGINE_ACTOR, eventFor, NewEvent } from '../audit/AuditTrail';
import { EntityHistory } from '../audit/EntityHistory';
import {
  ClaimRacedError,
  DeploymentIdentity,
  EnvironmentKey,
  TransitionRecord,
} from '../database/DeploymentStore';
import { Stores } from '../database/ReleasesDatabase';
import {
  ClaimedDeployment,
  DeploymentRunner,
} from '../deployments/DeploymentRunner';
import { PromotionsContext, Requester } from './context';
import { findEnvironment } from '../pipelines/EntityPipelines';
import {
  EnvironmentDefinition,
  PipelineDefinition,
} from '../pipelines/pipelineConfig';

/** A deployment whose gates were decided, ready to wait its turn. */
export interface QueuedDeployment {
  kind: DeploymentKind;
  entityRef: string;
  pipeline: PipelineDefinition;
  environment: EnvironmentDefinition;
  release: Release;
  reason: string | null;
  overrideReason: string | null;
  gates: GateResult[];
  requester: Requester;
  /** A promotion releases the environment's hold (a blocking one only when a person asks). */
  releasesHold?: boolean;
  /** A rollback holds the environment, for this reason (not over a blocking hold, unless a person asks). */
  setsHold?: string;
}

export interface DeploymentQueueOptions extends PromotionsContext {
  runner: DeploymentRunner;
  history: EntityHistory;
}

/**
 * Each environment's queue of deployments: what joins it (with the
 * pipeline's queue policy and the environment's hold), what leaves it
 * unstarted (cancelled), and what lets it move again (a released hold).
 */
export class DeploymentQueue {
  constructor(private readonly options: DeploymentQueueOptions) {}

  async enqueue(request: QueuedDeployment): Promise<Deployment> {
    const { audit, runner, history, clock } = this.options;
    const key: EnvironmentKey = {
      entityRef: request.entityRef,
      environment: request.environment.name,
    };
    const id = randomUUID();
    const at = clock().toISOString();
    // A claim racing another for the environment loses the whole
    // transaction on PostgreSQL: it is made again, and the deployment waits
    // its turn as any other.
    const queued = await this.record(request, { id, at, mayClaim: true }).catch(
      error => {
        if (error instanceof ClaimRacedError) {
          return this.record(request, { id, at, mayClaim: false });
        }
        throw error;
      },
    );
    // Begun first, so the executor does not wait for the auditor: the
    // deployment's own events are published after these all the same.
    if (queued.claimed) {
      runner.begin(queued.claimed);
    }
    await audit.publish(queued.appended);
    if (!queued.claimed) {
      await runner.startNext(key);
    }
    return history.getDeployment(id);
  }

  /**
   * Writes the request in one transaction: the deployment, what it
   * supersedes, the hold it sets or releases, its audit events and, when it
   * is alone in its queue and `mayClaim`, its claim.
   */
  private record(
    request: QueuedDeployment,
    { id, at, mayClaim }: { id: string; at: string; mayClaim: boolean },
  ): Promise<{
    appended: RecordedReleaseEvent[];
    claimed?: ClaimedDeployment;
  }> {
    const { db, audit, runner } = this.options;
    const { entityRef, pipeline, environment, release, requester } = request;
    const key: EnvironmentKey = { entityRef, environment: environment.name };
    return db.transaction(async stores => {
      const requested: TransitionRecord = {
        at,
        actor: requester.actor,
        message: `${request.kind} of ${release.version} requested${
          request.reason ? `: ${request.reason}` : ''
        }`,
      };
      const waiting = await stores.deployments.enqueueDeployment(
        {
          id,
          entityRef,
          pipeline: pipeline.name,
          environment: environment.name,
          releaseId: release.id,
          kind: request.kind,
          reason: request.reason,
          requestedBy: requester.actor,
          createdAt: at,
          gates: request.gates,
          overrideReason: request.overrideReason,
        },
        requested,
      );
      const recorded: NewEvent[] =
        pipeline.queue === 'newest-wins'
          ? await this.supersede(stores, waiting, { newerId: id, at })
          : [];
      // Alone in the queue, it starts in this transaction: one commit from
      // the request to the executor. The claim comes before any other lock
      // is taken here (supersede found nothing), so that its wait for a
      // deployment finishing in the same environment cannot close a cycle.
      const claimed =
        mayClaim && waiting.length === 0
          ? await runner.claimQueued(
              stores,
              queuedDeployment(id, request, requested),
              environment,
              release,
            )
          : undefined;
      const base = {
        entityRef,
        environment: environment.name,
        releaseId: release.id,
        deploymentId: id,
      };
      recorded.push({
        type: 'deployment.requested',
        ...base,
        actor: requester.actor,
        details: {
          kind: request.kind,
          version: release.version,
          reason: request.reason,
          gates: request.gates,
        },
      });
      if (request.overrideReason) {
        recorded.push({
          type: 'freeze.overridden',
          ...base,
          actor: requester.actor,
          details: { reason: request.overrideReason },
        });
      }
      // Only a person settles an unknown outcome: an automated request
      // neither replaces nor releases a blocking hold.
      const keepsBlockingHold = async () =>
        !requester.isUser &&
        (await stores.holds.getHolds(entityRef)).get(environment.name)
          ?.blocksDeployments === true;
      if (request.setsHold && !(await keepsBlockingHold())) {
        await stores.holds.setHold(key, {
          reason: request.setsHold,
          setAt: at,
          setBy: requester.actor,
        });
        recorded.push({
          type: 'hold.set',
          ...base,
          actor: requester.actor,
          details: { reason: request.setsHold },
        });
      } else if (
        request.releasesHold &&
        !request.setsHold &&
        (await stores.holds.releaseHold(key, {
          unlessBlocking: !requester.isUser,
        }))
      ) {
        recorded.push({
          type: 'hold.released',
          ...base,
          actor: requester.actor,
          details: {
            reason: `released by the ${request.kind} of ${release.version}`,
          },
        });
      }
      // At the request's time: before the claim's own event.
      const appended = await stores.events.append([
        ...audit.stamp(recorded.map(event => ({ at, ...event }))),
        ...(claimed?.events ?? []),
      ]);
      return { appended, claimed };
    });
  }

  async cancel(
    deploymentId: string,
    reason: string | undefined,
    actor: string,
  ): Promise<Deployment> {
    const { db, audit, runner, history, clock } = this.options;
    const deployment = await history.getDeployment(deploymentId);
    const message = `cancelled by ${actor}${reason ? `: ${reason}` : ''}`;
    const events = await db.transaction(async stores => {
      const changed = await stores.deployments.changeStatus(deploymentId, {
        from: ['pending'],
        to: 'cancelled',
        at: clock().toISOString(),
        actor,
        message,
      });
      if (!changed) {
        throw new ConflictError(
          `deployment ${deploymentId} is ${
            (await stores.deployments.getDeployment(deploymentId))!.status
          }; only a pending deployment can be cancelled`,
        );
      }
      return audit.record(stores, [
        eventFor(deployment, 'deployment.cancelled', actor, {
          reason: reason ?? null,
        }),
      ]);
    });
    await audit.publish(events);
    await runner.startNext(deployment);
    return history.getDeployment(deploymentId);
  }

  async releaseHold(
    entityRef: string,
    environmentName: string,
    actor: string,
  ): Promise<void> {
    const { db, audit, runner, entities } = this.options;
    const resolved = await entities.resolve(entityRef);
    const environment = findEnvironment(resolved.pipeline, environmentName);
    const key = {
      entityRef: resolved.entityRef,
      environment: environment.name,
    };
    const events = await db.transaction(async stores => {
      if (!(await stores.holds.releaseHold(key))) {
        throw new NotFoundError(
          `${environment.name} of ${resolved.entityRef} is not held`,
        );
      }
      return audit.record(stores, [
        { type: 'hold.released', ...key, actor, details: {} },
      ]);
    });
    await audit.publish(events);
    // A blocking hold kept pending deployments waiting.
    await runner.startNext(key);
  }

  private async supersede(
    stores: Stores,
    waiting: DeploymentIdentity[],
    { newerId, at }: { newerId: string; at: string },
  ): Promise<NewEvent[]> {
    const events: NewEvent[] = [];
    for (const older of waiting) {
      const changed = await stores.deployments.changeStatus(older.id, {
        from: ['pending'],
        to: 'superseded',
        at,
        actor: ENGINE_ACTOR,
        message: `superseded by deployment ${newerId}`,
      });
      if (changed) {
        events.push(
          eventFor(older, 'deployment.superseded', ENGINE_ACTOR, {
            supersededBy: newerId,
          }),
        );
      }
    }
    return events;
  }
}

/**
 * The deployment as `insertDeployment` stored it from `request`: what a read
 * of it in the same transaction would answer.
 */
function queuedDeployment(
  id: string,
  request: QueuedDeployment,
  requested: TransitionRecord,
): Deployment {
  const { release } = request;
  return {
    id,
    entityRef: request.entityRef,
    environment: request.environment.name,
    releaseId: release.id,
    release: {
      id: release.id,
      version: release.version,
      artifact: release.artifact,
      // Its gates found no revocation, and a claim in this transaction
      // checks again.
      revoked: false,
    },
    kind: request.kind,
    status: 'pending',
    reason: request.reason,
    requestedBy: request.requester.actor,
    createdAt: requested.at,
    updatedAt: requested.at,
    transitions: [{ status: 'pending', ...requested }],
    gates: request.gates,
    approvals: [],
    executor: null,
  };
}
