import {
  Deployment,
  GateResult,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { ENGINE_ACTOR, eventFor, NewEvent } from '../audit/AuditTrail';
import { findEnvironment } from '../pipelines/EntityPipelines';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';
import { ReleaseRegistry } from '../releases/ReleaseRegistry';
import { PromotionsContext } from './context';
import { DeploymentQueue } from './DeploymentQueue';
import { GateEvaluator } from './GateEvaluator';
import { GatesFailedError, PromotionRequests } from './PromotionRequests';

/** How long a scheduled automatic promotion that failed waits before it is tried again. */
const SCHEDULED_PROMOTION_RETRY_MS = 60_000;

export interface AutomaticPromotionsOptions extends PromotionsContext {
  registry: ReleaseRegistry;
  requests: PromotionRequests;
  queue: DeploymentQueue;
  gates: GateEvaluator;
}

/**
 * What the engine does by itself: promotes new releases and releases that
 * succeeded upstream into environments with `autoPromote`, retries those
 * that waited only for a soak time, and rolls back a deployment whose
 * verification failed where `autoRollback` is set.
 */
export class AutomaticPromotions {
  constructor(private readonly options: AutomaticPromotionsOptions) {}

  /**
   * A new release goes into the environments that take every release.
   * Answers whether some environment was due for such a promotion (even if a
   * hold or a gate then stopped it).
   */
  async onReleaseRegistered(release: Release): Promise<boolean> {
    const due = await this.environmentsPromotedFrom(release.entityRef, null);
    for (const environment of due) {
      await this.promoteInto(release, environment);
    }
    return due.length > 0;
  }

  async onDeploymentFinished(deployment: Deployment): Promise<void> {
    if (deployment.status === 'succeeded') {
      const due = await this.environmentsPromotedFrom(
        deployment.entityRef,
        deployment.environment,
      );
      // The release is read only where a promotion follows.
      if (due.length > 0) {
        const release = await this.options.registry.requireRelease(
          deployment.releaseId,
        );
        for (const environment of due) {
          await this.promoteInto(release, environment);
        }
      }
    } else if (deployment.transitions.some(t => t.status === 'verifying')) {
      await this.rollbackFailedVerification(deployment);
    }
  }

  /**
   * Retries automatic promotions whose only obstacle was a soak time that has
   * now passed. Each is claimed by one replica; the gates are evaluated anew.
   */
  async runScheduledPromotions(): Promise<void> {
    const { db, entities, clock } = this.options;
    const failures: Error[] = [];
    for (;;) {
      const now = clock();
      const [due] = await db.scheduledPromotions.claimDue(now.toISOString(), 1);
      if (!due) {
        break;
      }
      try {
        const release = await db.releases.getRelease(due.releaseId);
        if (!release) {
          continue;
        }
        const { pipeline } = await entities.resolve(release.entityRef);
        const environment = pipeline.environments.find(
          e => e.name === due.environment && e.autoPromote,
        );
        if (environment) {
          await this.promoteInto(release, environment);
        }
      } catch (error) {
        // Claimed means removed: put it back for a later sweep, or it is lost.
        await db.scheduledPromotions.schedule(
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

  /** The entity's environments that take, by themselves, what succeeded in `succeededIn` (null: every new release). */
  private async environmentsPromotedFrom(
    entityRef: string,
    succeededIn: string | null,
  ): Promise<EnvironmentDefinition[]> {
    const { pipeline } = await this.options.entities.resolve(entityRef);
    return pipeline.environments.filter(
      environment =>
        environment.autoPromote && environment.from === succeededIn,
    );
  }

  private async promoteInto(
    release: Release,
    environment: EnvironmentDefinition,
  ): Promise<void> {
    const { db, requests, clock } = this.options;
    const entityRef = release.entityRef;
    const hold = (await db.holds.getHolds(entityRef)).get(environment.name);
    const base = {
      entityRef,
      environment: environment.name,
      releaseId: release.id,
      actor: ENGINE_ACTOR,
    };
    if (hold) {
      await this.record([
        {
          type: 'promotion.skipped',
          ...base,
          details: {
            version: release.version,
            reason: `environment is held: ${hold.reason}`,
          },
        },
      ]);
      return;
    }
    try {
      await requests.promote(
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
        await db.scheduledPromotions.schedule(
          {
            entityRef,
            environment: environment.name,
            releaseId: release.id,
            dueAt: retryAt,
          },
          clock().toISOString(),
        );
      }
      await this.record([
        {
          type: 'promotion.blocked',
          ...base,
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
    const { db, entities, requests, queue, gates } = this.options;
    const pipelineName = await db.deployments.getPipelineName(failed.id);
    const pipeline = entities.getPipeline(pipelineName!);
    const environment = findEnvironment(pipeline, failed.environment);
    if (!environment.autoRollback || failed.kind !== 'promotion') {
      return;
    }
    // The failed release is what runs now: the release that was current
    // before it is the first candidate.
    const target = await requests.knownGoodRelease(
      { entityRef: failed.entityRef, environment: environment.name },
      failed.releaseId,
    );
    if (!target) {
      await this.record([
        eventFor(failed, 'rollback.skipped', ENGINE_ACTOR, {
          reason: `no earlier release succeeded in ${environment.name} to roll back to`,
        }),
      ]);
      return;
    }
    await queue.enqueue({
      kind: 'rollback',
      entityRef: failed.entityRef,
      pipeline,
      environment,
      release: target,
      reason: `automatic rollback: verification of ${failed.release.version} failed`,
      overrideReason: null,
      gates: await gates.evaluateRollback(target),
      requester: { actor: ENGINE_ACTOR, isUser: false },
      setsHold: `automatic rollback from ${failed.release.version} to ${target.version}: verification failed`,
    });
  }

  private async record(events: NewEvent[]) {
    const { db, audit } = this.options;
    await audit.publish(
      await db.transaction(stores => audit.record(stores, events)),
    );
  }
}

/**
 * When every failing gate will pass by itself (a soak time), the time the
 * last of them passes; otherwise undefined: a person has to act.
 */
export function retryTimeOf(gates: GateResult[]): string | undefined {
  const failing = gates.filter(g => !g.passed);
  if (failing.length === 0 || failing.some(g => !g.passesAt)) {
    return undefined;
  }
  return failing
    .map(g => g.passesAt!)
    .sort()
    .at(-1);
}
