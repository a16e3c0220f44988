import {
  createHash,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  artifactRef,
  Deployment,
  DeploymentStatus,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import {
  CALLBACK_TOKEN_HEADER,
  DeploymentExecutor,
  DeploymentOutcome,
  DeploymentPayload,
} from 'backstage-plugin-immutable-releases-node';
import { EnvironmentKey } from '../database/DeploymentStore';
import { environmentKeyId } from '../database/ObservationStore';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { AuditTrail, NewEvent } from '../audit/AuditTrail';
import { HttpVerifier } from './HttpVerifier';
import {
  EnvironmentDefinition,
  HttpVerification,
  PipelineDefinition,
} from '../pipelines/pipelineConfig';
import { redactUrl, renderUrlTemplate } from '../pipelines/urlTemplate';
import { isApproved } from '../promotions/approvalRules';

const WAITING_FOR_CALLBACK = 'waiting for the executor to report completion';
const SHUTDOWN_MESSAGE =
  'the backend shut down during the deployment; its outcome is unknown: check the target environment, then promote or roll back';

/** The actor recorded for what the engine does by itself. */
export const ENGINE_ACTOR = 'plugin:immutable-releases';

/** An executor from `immutableReleases.executors`, ready to deploy. */
export interface ConfiguredExecutor {
  name: string;
  type: string;
  executor: DeploymentExecutor;
  /** How long the executor may take to report completion when it answers `running`. */
  callbackTimeoutMs: number;
}

export interface DeploymentRunnerOptions {
  db: ReleasesDatabase;
  executors: ReadonlyMap<string, ConfiguredExecutor>;
  pipelines: ReadonlyMap<string, PipelineDefinition>;
  audit: AuditTrail;
  logger: LoggerService;
  clock?: () => Date;
  /** How long a claim on a running deployment lasts without a heartbeat. */
  leaseMs?: number;
  /** The catalog entity a verification URL template is filled from. */
  entityOf: (entityRef: string) => Promise<Entity>;
}

export type FinishedListener = (deployment: Deployment) => Promise<void>;

/**
 * Starts pending deployments and carries them out. Which deployment may run is
 * decided by the database (a conditional update guarded by a unique index), so
 * any number of runners, in any number of backend replicas, can share one
 * database safely.
 */
export class DeploymentRunner {
  /** Identifies this runner's claims; unique per process. */
  readonly instanceId = randomUUID();
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly inFlight = new Map<
    string,
    { abort: AbortController; done: Promise<void> }
  >();
  private readonly finishedListeners: FinishedListener[] = [];
  private stopped = false;
  /** Set by `abandonForTest`: behave as a process that died, writing nothing more. */
  private abandoned = false;

  constructor(private readonly options: DeploymentRunnerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Called after a deployment reaches `succeeded` or `failed`. */
  onFinished(listener: FinishedListener) {
    this.finishedListeners.push(listener);
  }

  /**
   * Starts the oldest pending deployment of the environment that may start,
   * unless another deployment occupies it. Returns without waiting for the
   * deployment to finish.
   */
  async startNext(key: EnvironmentKey): Promise<void> {
    if (this.stopped) {
      return;
    }
    const { db } = this.options;
    for (const candidate of await db.deployments.listPending(key)) {
      const environment = this.environmentIn(
        candidate.pipeline,
        candidate.environment,
      );
      if (!environment || !isApproved(candidate, environment)) {
        continue;
      }
      const now = this.clock();
      const events = this.options.audit.stamp([
        eventFor(candidate, 'deployment.running', ENGINE_ACTOR, {
          executor: environment.executor,
        }),
      ]);
      const callbackToken = randomBytes(32).toString('base64url');
      const claimed = await db.deployments.claim(
        candidate.id,
        this.instanceId,
        new Date(now.getTime() + this.leaseMs).toISOString(),
        {
          at: now.toISOString(),
          actor: ENGINE_ACTOR,
          message: `started with executor ${environment.executor}`,
        },
        events,
        sha256Hex(callbackToken),
      );
      if (claimed) {
        await this.options.audit.publish(events);
        this.launch(candidate, signal =>
          this.execute(candidate, environment, signal, callbackToken),
        );
      }
      // Claimed or not, the environment is now occupied (or the candidate
      // was taken by another runner): nothing more to start here.
      return;
    }
  }

  /**
   * Fails deployments whose runner vanished (its claim expired; their
   * environment is then held until what runs is known) or whose asynchronous
   * executor never called back, releases the holds that an observation
   * settled, then starts what waits.
   */
  async recover(): Promise<void> {
    const { db } = this.options;
    const now = this.clock().toISOString();
    for (const { deployment, cause } of await db.deployments.listAbandoned(
      now,
    )) {
      if (cause === 'callback-overdue') {
        await this.finish(deployment, {
          status: 'failed',
          actor: ENGINE_ACTOR,
          message:
            'the executor did not report completion in time; check the target environment, then promote or roll back',
          expected: ['running', 'verifying'],
        });
        continue;
      }
      // The command may have finished, failed or stopped half-way: nothing
      // more starts here until what runs is known again.
      await this.finish(deployment, {
        status: 'failed',
        actor: ENGINE_ACTOR,
        message:
          'the backend instance running this deployment stopped before it finished; its outcome is unknown',
        expected: ['running', 'verifying'],
        blockingHoldReason: `the outcome of deploying ${deployment.release.version} is unknown: the backend instance running it stopped before it finished. Check what runs in ${deployment.environment}; pending deployments wait until someone releases this hold or an observation reports what runs`,
      });
    }
    await this.settleBlockingHolds();
    for (const key of await db.deployments.listEnvironmentsWithPending()) {
      await this.startNext(key);
    }
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

  /**
   * Completion reported by an asynchronous executor. A reported success is
   * verified first when the environment has a verification, like any other.
   * Only whoever holds the deployment's callback token (the system its
   * executor handed the work to) may report: a NotAllowedError otherwise.
   */
  async completeFromCallback(
    deploymentId: string,
    report: { status: 'succeeded' | 'failed'; message?: string; url?: string },
    caller: { actor: string; callbackToken: string | undefined },
  ): Promise<Deployment> {
    const { db } = this.options;
    const { actor } = caller;
    const deployment = await db.deployments.getDeployment(deploymentId);
    if (!deployment) {
      throw new NotFoundError(`deployment ${deploymentId} does not exist`);
    }
    const awaited = await db.deployments.getAwaitedCallback(deploymentId);
    if (!awaited) {
      throw new ConflictError(
        `deployment ${deploymentId} is ${deployment.status} and does not wait for a completion callback`,
      );
    }
    if (!isCallbackToken(caller.callbackToken, awaited.callbackTokenHash)) {
      throw new NotAllowedError(
        `a completion callback of deployment ${deploymentId} must carry, in the ${CALLBACK_TOKEN_HEADER} header, the callback token its executor received`,
      );
    }
    const executor = deployment.executor
      ? { ...deployment.executor, ...(report.url ? { url: report.url } : {}) }
      : undefined;
    const message = report.message ?? `the executor reported ${report.status}`;
    const environment = await this.environmentOf(deployment);
    let accepted: boolean;
    if (report.status === 'succeeded' && environment?.verification) {
      const verification = await this.verificationOf(deployment, environment);
      accepted = await this.beginVerification(deployment, verification, {
        message,
        actor,
        executor,
        fromCallback: true,
      });
      if (accepted) {
        this.launch(deployment, signal =>
          this.runVerification(deployment, verification, signal),
        );
      }
    } else {
      accepted = await this.finish(deployment, {
        status: report.status,
        actor,
        message,
        expected: ['running'],
        executor,
        fromCallback: true,
      });
    }
    if (!accepted) {
      throw new ConflictError(
        `deployment ${deploymentId} has already finished`,
      );
    }
    return (await db.deployments.getDeployment(deploymentId))!;
  }

  /** Waits for every deployment this runner is carrying out. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight.values()].map(run => run.done));
    }
  }

  /**
   * Stops executors still running and records those deployments as failed,
   * so nothing is left `running` by a backend that shuts down.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const run of this.inFlight.values()) {
      run.abort.abort();
    }
    await this.whenIdle();
  }

  /** Forgets running deployments without recording anything, as a crash would. */
  abandonForTest(): void {
    this.stopped = true;
    this.abandoned = true;
    for (const run of this.inFlight.values()) {
      run.abort.abort();
    }
    this.inFlight.clear();
  }

  /**
   * Carries out `work` in the background while renewing this runner's claim
   * on the deployment; losing the claim aborts the work.
   */
  private launch(
    deployment: Deployment,
    work: (signal: AbortSignal) => Promise<void>,
  ) {
    const { db, logger } = this.options;
    const abort = new AbortController();
    const heartbeat = setInterval(() => {
      const expiresAt = new Date(
        this.clock().getTime() + this.leaseMs,
      ).toISOString();
      db.deployments
        .renewLease(deployment.id, this.instanceId, expiresAt)
        .then(stillOurs => {
          if (!stillOurs) {
            abort.abort();
          }
        })
        .catch(error =>
          logger.warn(
            `Could not renew the claim on deployment ${deployment.id}`,
            error,
          ),
        );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    const done = work(abort.signal)
      .catch(error =>
        logger.error(`Deployment ${deployment.id} crashed the runner`, error),
      )
      .finally(() => {
        clearInterval(heartbeat);
        this.inFlight.delete(deployment.id);
      });
    this.inFlight.set(deployment.id, { abort, done });
  }

  private async execute(
    deployment: Deployment,
    environment: EnvironmentDefinition,
    signal: AbortSignal,
    callbackToken: string,
  ): Promise<void> {
    const { db, executors } = this.options;
    const configured = executors.get(environment.executor)!;
    const [release, revocations] = await Promise.all([
      db.releases.getRelease(deployment.releaseId),
      db.releases.revocations([deployment.releaseId]),
    ]);
    const revoked = revocations.get(deployment.releaseId);
    if (!release || revoked) {
      await this.finish(deployment, {
        status: 'failed',
        actor: ENGINE_ACTOR,
        message: `release ${deployment.release.version} was revoked before the deployment started`,
        expected: ['running'],
        executor: { name: configured.name, type: configured.type },
      });
      return;
    }
    await this.deployAndVerify(
      deployment,
      environment,
      release,
      signal,
      callbackToken,
    );
  }

  private async deployAndVerify(
    deployment: Deployment,
    environment: EnvironmentDefinition,
    release: Release,
    signal: AbortSignal,
    callbackToken: string,
  ): Promise<void> {
    const { db, executors } = this.options;
    const configured = executors.get(environment.executor)!;
    const payload: DeploymentPayload = {
      deploymentId: deployment.id,
      kind: deployment.kind,
      entityRef: deployment.entityRef,
      environment: deployment.environment,
      artifactRef: artifactRef(release.artifact),
      release: {
        id: release.id,
        version: release.version,
        artifact: release.artifact,
        source: release.source,
        build: release.build,
        labels: release.labels,
      },
    };

    let outcome: DeploymentOutcome;
    try {
      outcome = await configured.executor.deploy({
        payload,
        signal,
        callbackToken,
      });
    } catch (error) {
      outcome = {
        status: 'failed',
        message: `executor ${configured.name} threw: ${
          (error as Error).message
        }`,
      };
    }
    if (this.abandoned) {
      return;
    }
    if (signal.aborted && this.stopped) {
      outcome = { ...outcome, status: 'failed', message: SHUTDOWN_MESSAGE };
    }

    const executor = {
      name: configured.name,
      type: configured.type,
      ...(outcome.url ? { url: outcome.url } : {}),
      ...(outcome.output ? { output: outcome.output } : {}),
    };
    if (outcome.status === 'running') {
      const now = this.clock();
      await db.deployments.changeStatus(deployment.id, {
        from: ['running'],
        to: 'running',
        at: now.toISOString(),
        actor: ENGINE_ACTOR,
        message: `${WAITING_FOR_CALLBACK}${
          outcome.message ? `: ${outcome.message}` : ''
        }`,
        executor,
        awaitingCallbackUntil: new Date(
          now.getTime() + configured.callbackTimeoutMs,
        ).toISOString(),
      });
      return;
    }
    if (outcome.status === 'failed') {
      await this.finish(deployment, {
        status: 'failed',
        actor: ENGINE_ACTOR,
        message:
          outcome.message ?? `executor ${configured.name} reported failure`,
        expected: ['running'],
        executor,
      });
      return;
    }
    const message = outcome.message ?? `deployed ${payload.artifactRef}`;
    if (!environment.verification) {
      await this.finish(deployment, {
        status: 'succeeded',
        actor: ENGINE_ACTOR,
        message,
        expected: ['running'],
        executor,
      });
      return;
    }
    const verification = await this.verificationOf(deployment, environment);
    if (
      await this.beginVerification(deployment, verification, {
        message,
        actor: ENGINE_ACTOR,
        executor,
      })
    ) {
      await this.runVerification(deployment, verification, signal);
    }
  }

  /**
   * Moves a deployment from `running` to `verifying`; when it comes from a
   * callback, this runner takes the claim the asynchronous executor left.
   */
  private async beginVerification(
    deployment: Deployment,
    verification: VerificationPlan,
    deployed: {
      message: string;
      actor: string;
      executor?: Deployment['executor'];
      fromCallback?: boolean;
    },
  ): Promise<boolean> {
    const { db, audit } = this.options;
    const now = this.clock();
    const events = await db.transaction(async stores => {
      const changed = await stores.deployments.changeStatus(deployment.id, {
        from: ['running'],
        to: 'verifying',
        at: now.toISOString(),
        actor: deployed.actor,
        message: `${deployed.message}; verifying ${
          'error' in verification
            ? 'impossible'
            : `GET ${redactUrl(verification.url)}`
        }`,
        ...(deployed.executor ? { executor: deployed.executor } : {}),
        ...(deployed.fromCallback
          ? {
              onlyIfAwaitingCallback: true,
              lease: {
                owner: this.instanceId,
                expiresAt: new Date(now.getTime() + this.leaseMs).toISOString(),
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

  /** Runs the environment's verification and records the outcome. */
  private async runVerification(
    deployment: Deployment,
    verification: VerificationPlan,
    signal: AbortSignal,
  ): Promise<void> {
    const result =
      'error' in verification
        ? { passed: false, message: verification.error }
        : await new HttpVerifier(verification).verify(signal);
    if (this.abandoned) {
      return;
    }
    await this.finish(deployment, {
      status: result.passed && !signal.aborted ? 'succeeded' : 'failed',
      actor: ENGINE_ACTOR,
      message:
        this.stopped && signal.aborted ? SHUTDOWN_MESSAGE : result.message,
      expected: ['verifying'],
    });
  }

  /** The environment's verification with its URL filled in for the deployment's entity. */
  private async verificationOf(
    deployment: Deployment,
    environment: EnvironmentDefinition,
  ): Promise<VerificationPlan> {
    const verification = environment.verification!;
    try {
      const entity = await this.options.entityOf(deployment.entityRef);
      return {
        ...verification,
        url: renderUrlTemplate(verification.url, {
          entity,
          environment: environment.name,
        }),
      };
    } catch (error) {
      return {
        error: `verification could not start: ${(error as Error).message}`,
      };
    }
  }

  /**
   * Moves a deployment to a terminal status if it is still in `expected`,
   * records the event, and starts whatever waits for the environment.
   */
  private async finish(
    deployment: Deployment,
    result: {
      status: Extract<DeploymentStatus, 'succeeded' | 'failed'>;
      actor: string;
      message: string;
      expected: DeploymentStatus[];
      executor?: Deployment['executor'];
      /** Only while the deployment waits for an asynchronous executor. */
      fromCallback?: boolean;
      /** Sets a blocking hold on the environment, with this reason, in the same transaction. */
      blockingHoldReason?: string;
    },
  ): Promise<boolean> {
    const { db, audit } = this.options;
    const at = this.clock().toISOString();
    const key = environmentKeyOf(deployment);
    const events = await db.transaction(async stores => {
      const changed = await stores.deployments.changeStatus(deployment.id, {
        from: result.expected,
        to: result.status,
        at,
        actor: result.actor,
        message: result.message,
        ...(result.executor ? { executor: result.executor } : {}),
        ...(result.fromCallback ? { onlyIfAwaitingCallback: true } : {}),
      });
      if (!changed) {
        return undefined;
      }
      const recorded = [
        eventFor(deployment, `deployment.${result.status}`, result.actor, {
          message: result.message,
          kind: deployment.kind,
          version: deployment.release.version,
        }),
      ];
      if (result.blockingHoldReason) {
        await stores.holds.setHold(key, {
          reason: result.blockingHoldReason,
          setAt: at,
          setBy: result.actor,
          blocksDeployments: true,
        });
        recorded.push(
          eventFor(deployment, 'hold.set', result.actor, {
            reason: result.blockingHoldReason,
          }),
        );
      }
      return audit.record(stores, recorded);
    });
    if (!events) {
      return false;
    }
    await audit.publish(events);
    await this.startNext(key);
    const finished = await db.deployments.getDeployment(deployment.id);
    for (const listener of this.finishedListeners) {
      await listener(finished!).catch(error =>
        this.options.logger.error(
          `After deployment ${deployment.id} finished`,
          error,
        ),
      );
    }
    return true;
  }

  private async environmentOf(
    deployment: Deployment,
  ): Promise<EnvironmentDefinition | undefined> {
    const pipelineName = await this.options.db.deployments.getPipelineName(
      deployment.id,
    );
    return this.environmentIn(pipelineName ?? '', deployment.environment);
  }

  /** The configured environment of a pipeline, if both still exist. */
  private environmentIn(
    pipelineName: string,
    environmentName: string,
  ): EnvironmentDefinition | undefined {
    return this.options.pipelines
      .get(pipelineName)
      ?.environments.find(e => e.name === environmentName);
  }
}

/** A verification ready to run, or why it cannot run (which fails the deployment). */
type VerificationPlan = HttpVerification | { error: string };

export function eventFor(
  deployment: Deployment,
  type: string,
  actor: string,
  details: Record<string, unknown>,
): NewEvent {
  return {
    type,
    entityRef: deployment.entityRef,
    environment: deployment.environment,
    releaseId: deployment.releaseId,
    deploymentId: deployment.id,
    actor,
    details,
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function isCallbackToken(
  presented: string | undefined,
  expectedHash: string | null,
): boolean {
  if (!presented || !expectedHash) {
    return false;
  }
  return timingSafeEqual(
    Buffer.from(sha256Hex(presented), 'hex'),
    Buffer.from(expectedHash, 'hex'),
  );
}

function environmentKeyOf(deployment: Deployment): EnvironmentKey {
  return {
    entityRef: deployment.entityRef,
    environment: deployment.environment,
  };
}
