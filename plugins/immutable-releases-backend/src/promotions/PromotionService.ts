import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  Deployment,
  DeploymentKind,
  EnvironmentsResponse,
  EnvironmentStatus,
  GateResult,
  Page,
  PromotionRequest,
  ReleaseEvent,
  Release,
  RollbackRequest,
  blockingGateFailures,
  KNOWN_GOOD_DEPLOYMENTS_LOOKED_AT,
  knownGoodReleases,
} from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from '../database/DeploymentStore';
import { environmentKeyId } from '../database/ObservationStore';
import { PageRequest } from '../database/pagination';
import { ReleasesDatabase, Stores } from '../database/ReleasesDatabase';
import { AuditTrail, NewEvent } from '../audit/AuditTrail';
import {
  DeploymentRunner,
  ENGINE_ACTOR,
  eventFor,
} from '../deployments/DeploymentRunner';
import {
  EntityPipelines,
  findEnvironment,
  normalizeEntityRef,
} from '../pipelines/EntityPipelines';
import { GateEvaluator } from './GateEvaluator';
import {
  EnvironmentDefinition,
  PipelineDefinition,
} from '../pipelines/pipelineConfig';
import { ObservationService } from '../drift/ObservationService';
import { ReleaseRegistry } from '../releases/ReleaseRegistry';

/** How long a scheduled automatic promotion that failed waits before it is tried again. */
const SCHEDULED_PROMOTION_RETRY_MS = 60_000;

/** A promotion refused by a hard gate: answered 409 with the gates. */
export class GatesFailedError extends ConflictError {
  constructor(readonly gates: GateResult[]) {
    super(
      `promotion refused by gate${
        blockingGateFailures(gates).length > 1 ? 's' : ''
      }: ${blockingGateFailures(gates)
        .map(g => `${g.name} (${g.message})`)
        .join('; ')}`,
    );
  }
}

/** Who asks, and what the permission system lets them do beyond the request itself. */
export interface Requester {
  actor: string;
  /** Users can approve; service principals (CI tokens, plugins) cannot. */
  isUser: boolean;
  mayOverrideFreeze?: boolean;
}

/**
 * Accepts promotion and rollback requests, decides their gates, queues them,
 * and reports the state of an entity's environments.
 */
export class PromotionService {
  constructor(
    private readonly db: ReleasesDatabase,
    private readonly entities: EntityPipelines,
    private readonly registry: ReleaseRegistry,
    private readonly runner: DeploymentRunner,
    private readonly audit: AuditTrail,
    private readonly clock: () => Date,
    private readonly observations: ObservationService,
  ) {
    registry.onRegistered(release => this.autoPromote(release, null));
    runner.onFinished(async deployment => {
      if (deployment.status === 'succeeded') {
        const release = await registry.getRelease(deployment.releaseId);
        await this.autoPromote(release!, deployment.environment);
      } else if (deployment.transitions.some(t => t.status === 'verifying')) {
        await this.rollbackFailedVerification(deployment);
      }
    });
  }

  async promote(
    request: PromotionRequest,
    requester: Requester,
  ): Promise<{ deployment?: Deployment; gates: GateResult[] }> {
    const { entityRef, pipeline } = await this.entities.resolve(
      request.entityRef,
    );
    const environment = findEnvironment(pipeline, request.environment);
    const release = await this.releaseOfEntity(request.releaseId, entityRef);
    const gates = await new GateEvaluator(
      this.db,
      this.clock,
    ).evaluatePromotion({
      release,
      environment,
      entityRef,
      override: request.override,
      mayOverrideFreeze: requester.mayOverrideFreeze ?? false,
    });
    if (request.dryRun) {
      return { gates };
    }
    if (blockingGateFailures(gates).length > 0) {
      throw new GatesFailedError(gates);
    }
    const deployment = await this.enqueue({
      kind: 'promotion',
      entityRef,
      pipeline,
      environment,
      release,
      reason: request.reason ?? null,
      overrideReason: request.override?.reason ?? null,
      gates,
      requester,
      releasesHold: true,
    });
    return { deployment, gates };
  }

  async rollback(
    request: RollbackRequest,
    requester: Requester,
  ): Promise<Deployment> {
    if (!request.reason?.trim()) {
      throw new InputError('reason is required for a rollback');
    }
    const { entityRef, pipeline } = await this.entities.resolve(
      request.entityRef,
    );
    const environment = findEnvironment(pipeline, request.environment);
    const key = { entityRef, environment: environment.name };
    const history = await this.db.deployments.listSucceeded(key, 200);
    const current = history[0];
    if (!current) {
      throw new ConflictError(
        `${environment.name} has no current release to roll back from`,
      );
    }
    const target = request.releaseId
      ? await this.explicitRollbackTarget(
          request.releaseId,
          entityRef,
          environment,
          history,
        )
      : await this.knownGoodTarget(key, environment.name);
    const gates = await new GateEvaluator(this.db, this.clock).evaluateRollback(
      target,
    );
    if (blockingGateFailures(gates).length > 0) {
      throw new ConflictError(
        `rollback refused: ${blockingGateFailures(gates)
          .map(g => g.message)
          .join('; ')}`,
      );
    }
    return this.enqueue({
      kind: 'rollback',
      entityRef,
      pipeline,
      environment,
      release: target,
      reason: request.reason,
      overrideReason: null,
      gates,
      requester,
      setsHold: `rolled back from ${current.release.version} to ${target.version}: ${request.reason}`,
    });
  }

  async getDeployment(deploymentId: string): Promise<Deployment> {
    const deployment = await this.db.deployments.getDeployment(deploymentId);
    if (!deployment) {
      throw new NotFoundError(`deployment ${deploymentId} does not exist`);
    }
    return deployment;
  }

  async listDeployments(
    entityRef: string,
    filter: { environment?: string } & PageRequest,
  ): Promise<Page<Deployment>> {
    if (filter.environment !== undefined) {
      const { pipeline } = await this.entities.resolve(entityRef);
      findEnvironment(pipeline, filter.environment);
    }
    return this.db.deployments.listDeployments(
      normalizeEntityRef(entityRef),
      filter,
    );
  }

  async listEvents(
    entityRef: string,
    page: PageRequest,
  ): Promise<Page<ReleaseEvent>> {
    return this.db.events.listEvents(normalizeEntityRef(entityRef), page);
  }

  async cancel(
    deploymentId: string,
    reason: string | undefined,
    actor: string,
  ): Promise<Deployment> {
    const deployment = await this.getDeployment(deploymentId);
    const message = `cancelled by ${actor}${reason ? `: ${reason}` : ''}`;
    const events = await this.db.transaction(async stores => {
      const changed = await stores.deployments.changeStatus(deploymentId, {
        from: ['pending'],
        to: 'cancelled',
        at: this.clock().toISOString(),
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
      return this.audit.record(stores, [
        eventFor(deployment, 'deployment.cancelled', actor, {
          reason: reason ?? null,
        }),
      ]);
    });
    await this.audit.publish(events);
    await this.runner.startNext(deployment);
    return this.getDeployment(deploymentId);
  }

  async approve(
    deploymentId: string,
    decision: 'approve' | 'reject',
    comment: string | undefined,
    requester: Requester,
  ): Promise<Deployment> {
    const deployment = await this.getDeployment(deploymentId);
    const pipeline = this.entities.getPipeline(
      (await this.db.deployments.getPipelineName(deploymentId))!,
    );
    const environment = findEnvironment(pipeline, deployment.environment);
    if (!environment.approvals) {
      throw new ConflictError(`${environment.name} does not require approvals`);
    }
    if (deployment.status !== 'pending') {
      throw new ConflictError(
        `deployment ${deploymentId} is ${deployment.status}; only a pending deployment can be approved or rejected`,
      );
    }
    if (!requester.isUser) {
      throw new NotAllowedError(
        'only users can approve deployments, not service principals',
      );
    }
    const release = await this.registry.requireRelease(deployment.releaseId);
    if (
      !environment.approvals.allowSelfApproval &&
      (requester.actor === deployment.requestedBy ||
        requester.actor === release.createdBy)
    ) {
      throw new NotAllowedError(
        'the requester and the release creator cannot approve their own deployment',
      );
    }
    const at = this.clock().toISOString();
    const events = await this.db.transaction(async stores => {
      if (!(await stores.deployments.holdPending(deploymentId, at))) {
        throw new ConflictError(
          `deployment ${deploymentId} is ${
            (await stores.deployments.getDeployment(deploymentId))!.status
          }; only a pending deployment can be approved or rejected`,
        );
      }
      const added = await stores.deployments.addApproval(deploymentId, {
        approver: requester.actor,
        decision,
        ...(comment ? { comment } : {}),
        at,
      });
      if (added === 'duplicate') {
        throw new ConflictError(
          `${requester.actor} has already decided on deployment ${deploymentId}`,
        );
      }
      const recorded: NewEvent[] = [
        eventFor(
          deployment,
          `approval.${decision === 'approve' ? 'approved' : 'rejected'}`,
          requester.actor,
          {
            comment: comment ?? null,
          },
        ),
      ];
      if (decision === 'reject') {
        const changed = await stores.deployments.changeStatus(deploymentId, {
          from: ['pending'],
          to: 'rejected',
          at,
          actor: requester.actor,
          message: `rejected by ${requester.actor}${
            comment ? `: ${comment}` : ''
          }`,
        });
        if (!changed) {
          throw new ConflictError(
            `deployment ${deploymentId} is no longer pending`,
          );
        }
        recorded.push(
          eventFor(deployment, 'deployment.rejected', requester.actor, {}),
        );
      }
      return this.audit.record(stores, recorded);
    });
    await this.audit.publish(events);
    await this.runner.startNext(deployment);
    return this.getDeployment(deploymentId);
  }

  async releaseHold(
    entityRef: string,
    environmentName: string,
    actor: string,
  ): Promise<void> {
    const resolved = await this.entities.resolve(entityRef);
    const environment = findEnvironment(resolved.pipeline, environmentName);
    const key = {
      entityRef: resolved.entityRef,
      environment: environment.name,
    };
    const events = await this.db.transaction(async stores => {
      if (!(await stores.holds.releaseHold(key))) {
        throw new NotFoundError(
          `${environment.name} of ${resolved.entityRef} is not held`,
        );
      }
      return this.audit.record(stores, [
        { type: 'hold.released', ...key, actor, details: {} },
      ]);
    });
    await this.audit.publish(events);
    // A blocking hold kept pending deployments waiting.
    await this.runner.startNext(key);
  }

  async environments(entityRef: string): Promise<EnvironmentsResponse> {
    const resolved = await this.entities.resolve(entityRef);
    const keys = resolved.pipeline.environments.map(environment => ({
      entityRef: resolved.entityRef,
      environment: environment.name,
    }));
    const [holds, deployments, driftOf] = await Promise.all([
      this.db.holds.getHolds(resolved.entityRef),
      this.db.deployments.describeEnvironments(keys),
      this.observations.loadDrift(keys),
    ]);
    const environments = resolved.pipeline.environments.map(
      (environment, index): EnvironmentStatus => {
        const id = environmentKeyId(keys[index]);
        const { current, latestStarted, pending } = deployments.get(id)!;
        return {
          name: environment.name,
          from: environment.from,
          currentRelease: current
            ? { ...current.release, revoked: current.release.revoked ?? false }
            : null,
          currentDeployment: latestStarted ?? null,
          pendingDeployments: pending,
          drift: driftOf(keys[index], current?.release.artifact.digest ?? null),
          hold: holds.get(environment.name) ?? null,
        };
      },
    );
    return { pipeline: resolved.pipeline.name, environments };
  }

  /**
   * Promotes a new release into environments that take every release, or a
   * release that just succeeded upstream into the environments fed from there.
   * Answers whether some environment was due for such a promotion (even if
   * a hold or a gate then stopped it).
   */
  private async autoPromote(
    release: Release,
    succeededIn: string | null,
  ): Promise<boolean> {
    const { pipeline } = await this.entities.resolve(release.entityRef);
    let attempted = false;
    for (const environment of pipeline.environments) {
      if (environment.autoPromote && environment.from === succeededIn) {
        await this.autoPromoteInto(release, environment);
        attempted = true;
      }
    }
    return attempted;
  }

  /**
   * Retries automatic promotions whose only obstacle was a soak time that has
   * now passed. Each is claimed by one replica; the gates are evaluated anew.
   */
  async runScheduledPromotions(): Promise<void> {
    const failures: Error[] = [];
    for (;;) {
      const now = this.clock();
      const [due] = await this.db.scheduledPromotions.claimDue(
        now.toISOString(),
        1,
      );
      if (!due) {
        break;
      }
      try {
        const release = await this.db.releases.getRelease(due.releaseId);
        if (!release) {
          continue;
        }
        const { pipeline } = await this.entities.resolve(release.entityRef);
        const environment = pipeline.environments.find(
          e => e.name === due.environment && e.autoPromote,
        );
        if (environment) {
          await this.autoPromoteInto(release, environment);
        }
      } catch (error) {
        // Claimed means removed: put it back for a later sweep, or it is lost.
        await this.db.scheduledPromotions.schedule(
          {
            ...due,
            dueAt: new Date(
              now.getTime() + SCHEDULED_PROMOTION_RETRY_MS,
            ).toISOString(),
          },
          now.toISOString(),
        );
        failures.push(error as Error);
      }
    }
    if (failures.length > 0) {
      throw new Error(
        `${
          failures.length
        } scheduled automatic promotion(s) failed and will be retried: ${failures
          .map(f => f.message)
          .join('; ')}`,
        { cause: failures[0] },
      );
    }
  }

  private async autoPromoteInto(
    release: Release,
    environment: EnvironmentDefinition,
  ): Promise<void> {
    const entityRef = release.entityRef;
    const hold = (await this.db.holds.getHolds(entityRef)).get(
      environment.name,
    );
    if (hold) {
      await this.recordOutsideTransaction([
        {
          type: 'promotion.skipped',
          entityRef,
          environment: environment.name,
          releaseId: release.id,
          actor: ENGINE_ACTOR,
          details: {
            version: release.version,
            reason: `environment is held: ${hold.reason}`,
          },
        },
      ]);
      return;
    }
    try {
      await this.promote(
        {
          entityRef,
          releaseId: release.id,
          environment: environment.name,
          reason: environment.from
            ? `automatic promotion after success in ${environment.from}`
            : 'automatic promotion of a new release',
        },
        { actor: ENGINE_ACTOR, isUser: false },
      );
    } catch (error) {
      if (!(error instanceof GatesFailedError)) {
        throw error;
      }
      const retryAt = retryTimeOf(error.gates);
      if (retryAt) {
        await this.db.scheduledPromotions.schedule(
          {
            entityRef,
            environment: environment.name,
            releaseId: release.id,
            dueAt: retryAt,
          },
          this.clock().toISOString(),
        );
      }
      await this.recordOutsideTransaction([
        {
          type: 'promotion.blocked',
          entityRef,
          environment: environment.name,
          releaseId: release.id,
          actor: ENGINE_ACTOR,
          details: {
            version: release.version,
            gates: error.gates,
            ...(retryAt ? { retryAt } : {}),
          },
        },
      ]);
    }
  }

  /**
   * The executor deployed the release but verification failed: with
   * `autoRollback`, redeploy the release that was current before and hold the
   * environment so automation does not bring the bad release back.
   */
  private async rollbackFailedVerification(failed: Deployment): Promise<void> {
    const pipelineName = await this.db.deployments.getPipelineName(failed.id);
    const pipeline = this.entities.getPipeline(pipelineName!);
    const environment = findEnvironment(pipeline, failed.environment);
    if (!environment.autoRollback || failed.kind !== 'promotion') {
      return;
    }
    const key = { entityRef: failed.entityRef, environment: environment.name };
    // The failed release is what runs now: the release that was current
    // before it is the first candidate.
    const [knownGood] = knownGoodReleases(
      await this.recentDeployments(key),
      failed.releaseId,
    );
    if (!knownGood) {
      await this.recordOutsideTransaction([
        eventFor(failed, 'rollback.skipped', ENGINE_ACTOR, {
          reason: `no earlier release succeeded in ${environment.name} to roll back to`,
        }),
      ]);
      return;
    }
    const target = await this.registry.requireRelease(knownGood.id);
    await this.enqueue({
      kind: 'rollback',
      entityRef: failed.entityRef,
      pipeline,
      environment,
      release: target,
      reason: `automatic rollback: verification of ${failed.release.version} failed`,
      overrideReason: null,
      gates: await new GateEvaluator(this.db, this.clock).evaluateRollback(
        target,
      ),
      requester: { actor: ENGINE_ACTOR, isUser: false },
      setsHold: `automatic rollback from ${failed.release.version} to ${target.version}: verification failed`,
    });
  }

  private async enqueue(request: {
    kind: DeploymentKind;
    entityRef: string;
    pipeline: PipelineDefinition;
    environment: EnvironmentDefinition;
    release: Release;
    reason: string | null;
    overrideReason: string | null;
    gates: GateResult[];
    requester: Requester;
    releasesHold?: boolean;
    setsHold?: string;
  }): Promise<Deployment> {
    const { entityRef, pipeline, environment, release, requester } = request;
    const key: EnvironmentKey = { entityRef, environment: environment.name };
    const id = randomUUID();
    const at = this.clock().toISOString();
    const events = await this.db.transaction(async stores => {
      const recorded: NewEvent[] = [];
      if (pipeline.queue === 'newest-wins') {
        recorded.push(...(await this.supersedePending(stores, key, id, at)));
      }
      await stores.deployments.insertDeployment(
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
        {
          at,
          actor: requester.actor,
          message: `${request.kind} of ${release.version} requested${
            request.reason ? `: ${request.reason}` : ''
          }`,
        },
      );
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
      const keepsBlockingHold =
        !requester.isUser &&
        (await stores.holds.getHolds(entityRef)).get(environment.name)
          ?.blocksDeployments === true;
      if (request.setsHold && !keepsBlockingHold) {
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
        !keepsBlockingHold &&
        (await stores.holds.releaseHold(key))
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
      return this.audit.record(stores, recorded);
    });
    await this.audit.publish(events);
    await this.runner.startNext(key);
    return this.getDeployment(id);
  }

  private async supersedePending(
    stores: Stores,
    key: EnvironmentKey,
    newerId: string,
    at: string,
  ): Promise<NewEvent[]> {
    const events: NewEvent[] = [];
    for (const older of await stores.deployments.listPending(key)) {
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

  private async releaseOfEntity(
    releaseId: string,
    entityRef: string,
  ): Promise<Release> {
    // The stored release without attachments: the gates read what they need.
    const release = await this.db.releases.getRelease(releaseId);
    if (!release) {
      throw new NotFoundError(`release ${releaseId} does not exist`);
    }
    if (release.entityRef !== entityRef) {
      throw new InputError(
        `releaseId ${releaseId} belongs to ${release.entityRef}, not ${entityRef}`,
      );
    }
    return release;
  }

  private async explicitRollbackTarget(
    releaseId: string,
    entityRef: string,
    environment: EnvironmentDefinition,
    history: Deployment[],
  ): Promise<Release> {
    const release = await this.releaseOfEntity(releaseId, entityRef);
    if (history[0].releaseId === release.id) {
      throw new ConflictError(
        `release ${release.version} is already current in ${environment.name}`,
      );
    }
    if (
      !(await this.db.deployments.hasSucceeded(release.id, environment.name))
    ) {
      throw new ConflictError(
        `release ${release.version} never succeeded in ${environment.name}; promote it instead of rolling back to it`,
      );
    }
    return release;
  }

  /** The default rollback target: the first known-good release of the environment. */
  private async knownGoodTarget(
    key: EnvironmentKey,
    environmentName: string,
  ): Promise<Release> {
    const [target] = knownGoodReleases(await this.recentDeployments(key));
    if (!target) {
      throw new ConflictError(
        `no release is known-good in ${environmentName}: none that succeeded there before the current one is unrevoked and was never rolled back from; name a releaseId to roll back to`,
      );
    }
    return this.registry.requireRelease(target.id);
  }

  /** The environment's latest deployments, which the known-good rule looks at. */
  private async recentDeployments(key: EnvironmentKey): Promise<Deployment[]> {
    const { items } = await this.db.deployments.listDeployments(key.entityRef, {
      environment: key.environment,
      limit: KNOWN_GOOD_DEPLOYMENTS_LOOKED_AT,
    });
    return items;
  }

  private async recordOutsideTransaction(events: NewEvent[]) {
    await this.audit.publish(
      await this.db.transaction(stores => this.audit.record(stores, events)),
    );
  }
}

/**
 * When every failing gate will pass by itself (a soak time), the time the
 * last of them passes; otherwise undefined: a person has to act.
 */
function retryTimeOf(gates: GateResult[]): string | undefined {
  const failing = gates.filter(g => !g.passed);
  if (failing.length === 0 || failing.some(g => !g.passesAt)) {
    return undefined;
  }
  return failing
    .map(g => g.passesAt!)
    .sort()
    .at(-1);
}
