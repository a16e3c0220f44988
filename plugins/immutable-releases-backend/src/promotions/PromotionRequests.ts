import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Deployment,
  GateResult,
  PromotionRequest,
  Release,
  ReleaseRevocation,
  RollbackRequest,
  blockingGateFailures,
  KNOWN_GOOD_DEPLOYMENTS_LOOKED_AT,
  knownGoodReleases,
} from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from '../database/DeploymentStore';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { EntityPipelines, findEnvironment } from '../pipelines/EntityPipelines';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';
import { ReleaseRegistry } from '../releases/ReleaseRegistry';
import { Requester } from './context';
import { DeploymentQueue } from './DeploymentQueue';
import { GateEvaluator } from './GateEvaluator';

/** A promotion refused by a hard gate: answered 409 with the gates. */
export class GatesFailedError extends ConflictError {
  constructor(readonly gates: GateResult[]) {
    const refusing = blockingGateFailures(gates);
    super(
      `promotion refused by gate${refusing.length > 1 ? 's' : ''}: ${refusing
        .map(g => `${g.name} (${g.message})`)
        .join('; ')}`,
    );
  }
}

export interface PromotionRequestsOptions {
  db: ReleasesDatabase;
  entities: EntityPipelines;
  registry: ReleaseRegistry;
  gates: GateEvaluator;
  queue: DeploymentQueue;
}

/**
 * Promotions and rollbacks asked for by a person, a CI pipeline or the
 * engine itself: resolves the release and environment, decides the gates
 * and queues the deployment.
 */
export class PromotionRequests {
  constructor(private readonly options: PromotionRequestsOptions) {}

  async promote(
    request: PromotionRequest,
    requester: Requester,
  ): Promise<{ deployment?: Deployment; gates: GateResult[] }> {
    const { entities, gates: evaluator, queue } = this.options;
    const { entityRef, pipeline } = await entities.resolve(request.entityRef);
    const environment = findEnvironment(pipeline, request.environment);
    const { release, revocation } = await this.releaseOfEntity(
      request.releaseId,
      entityRef,
    );
    const gates = await evaluator.evaluatePromotion({
      release,
      revocation,
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
    const deployment = await queue.enqueue({
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
    const { db, entities, gates: evaluator, queue } = this.options;
    const { entityRef, pipeline } = await entities.resolve(request.entityRef);
    const environment = findEnvironment(pipeline, request.environment);
    const key = { entityRef, environment: environment.name };
    const history = await db.deployments.listSucceeded(key, 200);
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
      : await this.knownGoodTarget(key);
    const gates = await evaluator.evaluateRollback(target);
    if (blockingGateFailures(gates).length > 0) {
      throw new ConflictError(
        `rollback refused: ${blockingGateFailures(gates)
          .map(g => g.message)
          .join('; ')}`,
      );
    }
    return queue.enqueue({
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

  /**
   * The release an environment goes back to by default: the first known-good
   * one before `currentReleaseId` (by default the release that succeeded last).
   */
  async knownGoodRelease(
    key: EnvironmentKey,
    currentReleaseId?: string,
  ): Promise<Release | undefined> {
    const { items } = await this.options.db.deployments.listDeployments(
      key.entityRef,
      { environment: key.environment, limit: KNOWN_GOOD_DEPLOYMENTS_LOOKED_AT },
    );
    const [target] = knownGoodReleases(items, currentReleaseId);
    return target ? this.options.registry.requireRelease(target.id) : undefined;
  }

  private async releaseOfEntity(
    releaseId: string,
    entityRef: string,
  ): Promise<{ release: Release; revocation: ReleaseRevocation | null }> {
    // The stored release without attachments: the gates read what they need.
    const read = await this.options.db.releases.getReleaseAndRevocation(
      releaseId,
    );
    if (!read) {
      throw new NotFoundError(`release ${releaseId} does not exist`);
    }
    if (read.release.entityRef !== entityRef) {
      throw new InputError(
        `releaseId ${releaseId} belongs to ${read.release.entityRef}, not ${entityRef}`,
      );
    }
    return read;
  }

  private async explicitRollbackTarget(
    releaseId: string,
    entityRef: string,
    environment: EnvironmentDefinition,
    history: Deployment[],
  ): Promise<Release> {
    const { release } = await this.releaseOfEntity(releaseId, entityRef);
    if (history[0].releaseId === release.id) {
      throw new ConflictError(
        `release ${release.version} is already current in ${environment.name}`,
      );
    }
    const succeeded = await this.options.db.deployments.hasSucceeded(
      release.id,
      environment.name,
    );
    if (!succeeded) {
      throw new ConflictError(
        `release ${release.version} never succeeded in ${environment.name}; promote it instead of rolling back to it`,
      );
    }
    return release;
  }

  private async knownGoodTarget(key: EnvironmentKey): Promise<Release> {
    const target = await this.knownGoodRelease(key);
    if (!target) {
      throw new ConflictError(
        `no release is known-good in ${key.environment}: none that succeeded there before the current one is unrevoked and was never rolled back from; name a releaseId to roll back to`,
      );
    }
    return target;
  }
}
