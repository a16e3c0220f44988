import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  Deployment,
  DeploymentExecutorResult,
  Release,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import {
  DeploymentExecutor,
  DeploymentOutcome,
} from 'backstage-plugin-immutable-releases-node';
import { AuditTrail, ENGINE_ACTOR, eventFor } from '../audit/AuditTrail';
import { chunks } from '../database/chunks';
import { EnvironmentKey, PendingDeployment } from '../database/DeploymentStore';
import { ReleasesDatabase, Stores } from '../database/ReleasesDatabase';
import {
  EnvironmentDefinition,
  PipelineDefinition,
} from '../pipelines/pipelineConfig';
import { newCallbackToken } from './callbackTokens';
import {
  Deployed,
  DeploymentEnd,
  DeploymentTransitions,
} from './DeploymentTransitions';
import { callExecutor } from './callExecutor';
import { HttpVerifier } from './HttpVerifier';
import { isApproved } from './isApproved';
import { LeasedWork } from './LeasedWork';
import { ProgressReports } from './ProgressReports';
import { planVerification, VerificationPlan } from './verificationPlan';

/** Environments whose pending deployments `startNextIn` holds in memory at once. */
const ENVIRONMENTS_READ_AT_ONCE = 500;

const SHUTDOWN_MESSAGE =
  'the backend shut down during the deployment; its outcome is unknown: check the target environment, then promote or roll back';

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

/** A deployment claimed by this runner, for `begin` to carry out. */
export interface ClaimedDeployment {
  deployment: Deployment;
  environment: EnvironmentDefinition;
  /** `deployment.running`, to publish once the claim is committed. */
  events: ReleaseEvent[];
  callbackToken: string;
  /**
   * The release, when the claim itself found it not revoked: the executor is
   * then called with it without reading it again.
   */
  release?: Release;
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
  private readonly transitions: DeploymentTransitions;
  private readonly work: LeasedWork;
  private readonly finishedListeners: FinishedListener[] = [];
  private stopped = false;
  /** Set by `abandonForTest`: behave as a process that died, writing nothing more. */
  private abandoned = false;

  constructor(private readonly options: DeploymentRunnerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 30_000;
    this.transitions = new DeploymentTransitions({
      db: options.db,
      audit: options.audit,
      clock: this.clock,
      leaseMs: this.leaseMs,
      runnerId: this.instanceId,
    });
    this.work = new LeasedWork({
      deployments: options.db.deployments,
      logger: options.logger,
      clock: this.clock,
      leaseMs: this.leaseMs,
      owner: this.instanceId,
    });
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
    const candidates = await this.options.db.deployments.listPending(key);
    await this.startClaimed(await this.claimFirstStartable(candidates));
  }

  /**
   * What `startNext` does, for many environments: their pending deployments
   * are read a few hundred environments at a time, so that a sweep over
   * thousands awaiting approval costs a few statements, not one each.
   */
  async startNextIn(keys: EnvironmentKey[]): Promise<void> {
    for (const batch of chunks(keys, ENVIRONMENTS_READ_AT_ONCE)) {
      if (this.stopped) {
        return;
      }
      const pending = await this.options.db.deployments.listPendingIn(batch);
      for (const candidates of pending.values()) {
        if (this.stopped) {
          return;
        }
        await this.startClaimed(await this.claimFirstStartable(candidates));
      }
    }
  }

  private async startClaimed(claimed: ClaimedDeployment | undefined) {
    if (claimed) {
      this.begin(claimed);
      await this.options.audit.publish(claimed.events);
    }
  }

  /**
   * Claims a deployment just queued in the transaction of `stores` with
   * nothing waiting before it, unless it waits for approvals: one commit from
   * the request to the executor. The claim leaves its `deployment.running`
   * event for the caller to append with its own; `begin` carries it out once
   * that transaction committed. Throws `ClaimRacedError` when another claim
   * took the environment meanwhile: the caller's transaction is then lost
   * and is to be made again without claiming.
   */
  async claimQueued(
    stores: Stores,
    deployment: Deployment,
    environment: EnvironmentDefinition,
    release: Release,
  ): Promise<ClaimedDeployment | undefined> {
    if (this.stopped || !isApproved(deployment, environment)) {
      return undefined;
    }
    return this.claim(stores, deployment, environment, {
      callerRecordsEvents: true,
      release,
    });
  }

  /** Claims the oldest of an environment's pending deployments that may start. */
  private async claimFirstStartable(
    candidates: PendingDeployment[],
  ): Promise<ClaimedDeployment | undefined> {
    const { db } = this.options;
    for (const candidate of candidates) {
      const environment = this.environmentIn(
        candidate.pipeline,
        candidate.environment,
      );
      if (environment && isApproved(candidate, environment)) {
        // Claimed or not, the environment is now occupied (or the candidate
        // was taken by another runner): nothing more to start here.
        return this.claim(db, candidate, environment, {
          callerRecordsEvents: false,
        });
      }
    }
    return undefined;
  }

  private async claim(
    stores: Stores,
    candidate: Deployment,
    environment: EnvironmentDefinition,
    {
      callerRecordsEvents,
      release,
    }: { callerRecordsEvents: boolean; release?: Release },
  ): Promise<ClaimedDeployment | undefined> {
    const now = this.clock();
    const events = this.options.audit.stamp([
      eventFor(candidate, 'deployment.running', ENGINE_ACTOR, {
        executor: environment.executor,
      }),
    ]);
    const callback = newCallbackToken();
    const leaseExpiresAt = new Date(now.getTime() + this.leaseMs).toISOString();
    const transition = {
      at: now.toISOString(),
      actor: ENGINE_ACTOR,
      message: `started with executor ${environment.executor}`,
    };
    const claimed = callerRecordsEvents
      ? await stores.deployments.claimInTransaction(
          candidate.id,
          this.instanceId,
          leaseExpiresAt,
          transition,
          callback.hash,
        )
      : await stores.deployments.claim(
          candidate.id,
          this.instanceId,
          leaseExpiresAt,
          transition,
          events,
          callback.hash,
        );
    return claimed
      ? {
          deployment: candidate,
          environment,
          events,
          callbackToken: callback.token,
          // Given by `claimQueued` only, whose claim also found it not revoked.
          release,
        }
      : undefined;
  }

  /**
   * Carries out a claimed deployment in the background, once the claim is
   * committed. A runner stopped meanwhile starts nothing: the claim expires
   * and recovery records the outcome as unknown.
   */
  begin(claimed: ClaimedDeployment): void {
    if (this.stopped) {
      return;
    }
    const { deployment, environment, callbackToken, release } = claimed;
    this.work.start(deployment.id, signal =>
      this.execute(deployment, environment, signal, callbackToken, release),
    );
  }

  /**
   * Records how a deployment ended, if it is still in one of `end.expected`,
   * then starts whatever waits for the environment and tells the listeners.
   * Answers whether the deployment ended here.
   */
  async finish(deployment: Deployment, end: DeploymentEnd): Promise<boolean> {
    if (!(await this.transitions.finish(deployment, end))) {
      return false;
    }
    await this.startNext(deployment);
    const finished = await this.options.db.deployments.getDeployment(
      deployment.id,
    );
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

  /**
   * Moves a deployment whose executor reported success to `verifying` and
   * verifies it in the background under this runner's claim. Answers whether
   * the deployment was still waiting to be verified.
   */
  async verifyInBackground(
    deployment: Deployment,
    environment: EnvironmentDefinition,
    deployed: Deployed,
  ): Promise<boolean> {
    const plan = await this.planVerification(deployment, environment);
    if (
      !(await this.transitions.beginVerification(deployment, plan, deployed))
    ) {
      return false;
    }
    this.work.start(deployment.id, signal =>
      this.runVerification(deployment, plan, signal),
    );
    return true;
  }

  /** The configured environment of the deployment, if its pipeline and it still exist. */
  async environmentOf(
    deployment: Pick<Deployment, 'id' | 'environment'>,
  ): Promise<EnvironmentDefinition | undefined> {
    const pipelineName = await this.options.db.deployments.getPipelineName(
      deployment.id,
    );
    return this.environmentIn(pipelineName ?? '', deployment.environment);
  }

  /** Waits for every deployment this runner is carrying out. */
  async whenIdle(): Promise<void> {
    await this.work.whenIdle();
  }

  /**
   * Stops executors still running and records those deployments as failed,
   * so nothing is left `running` by a backend that shuts down.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.work.abortAll();
    await this.work.whenIdle();
  }

  /** Forgets running deployments without recording anything, as a crash would. */
  abandonForTest(): void {
    this.stopped = true;
    this.abandoned = true;
    this.work.abortAll({ forget: true });
  }

  private async execute(
    deployment: Deployment,
    environment: EnvironmentDefinition,
    signal: AbortSignal,
    callbackToken: string,
    claimedRelease?: Release,
  ): Promise<void> {
    const { db, executors } = this.options;
    const configured = executors.get(environment.executor)!;
    const [read, entity] = await Promise.all([
      claimedRelease
        ? { release: claimedRelease, revocation: null }
        : db.releases.getReleaseAndRevocation(deployment.releaseId),
      this.options
        .entityOf(deployment.entityRef)
        .catch((error: Error) => error),
    ]);
    const fail = (message: string) =>
      this.finish(deployment, {
        status: 'failed',
        actor: ENGINE_ACTOR,
        message,
        expected: ['running'],
        executor: { name: configured.name, type: configured.type },
      });
    if (!read || read.revocation) {
      await fail(
        `release ${deployment.release.version} was revoked before the deployment started`,
      );
      return;
    }
    if (entity instanceof Error) {
      await fail(
        `the catalog entity ${deployment.entityRef} could not be read: ${entity.message}`,
      );
      return;
    }
    const progress = new ProgressReports({
      deploymentId: deployment.id,
      owner: this.instanceId,
      executor: { name: configured.name, type: configured.type },
      deployments: db.deployments,
      logger: this.options.logger,
    });
    const called = await callExecutor(
      configured,
      { deployment, release: read.release, entity },
      { signal, callbackToken, progress },
    );
    const outcome: DeploymentOutcome =
      signal.aborted && this.stopped
        ? { ...called, status: 'failed', message: SHUTDOWN_MESSAGE }
        : called;
    const executor = await progress.settle(outcome);
    if (this.abandoned) {
      return;
    }
    await this.record(deployment, environment, {
      outcome,
      executor,
      configured,
      signal,
    });
  }

  /** Records the executor's outcome: waiting for its callback, failed, succeeded, or on to verification. */
  private async record(
    deployment: Deployment,
    environment: EnvironmentDefinition,
    {
      outcome,
      executor,
      configured,
      signal,
    }: {
      outcome: DeploymentOutcome;
      executor: DeploymentExecutorResult;
      configured: ConfiguredExecutor;
      signal: AbortSignal;
    },
  ): Promise<void> {
    if (outcome.status === 'running') {
      await this.transitions.awaitCallback(deployment, {
        message: outcome.message,
        executor,
        timeoutMs: configured.callbackTimeoutMs,
      });
      return;
    }
    if (outcome.status === 'failed' || !environment.verification) {
      await this.finish(deployment, {
        status: outcome.status,
        actor: ENGINE_ACTOR,
        message:
          outcome.message ?? `executor ${configured.name} reported failure`,
        expected: ['running'],
        executor,
      });
      return;
    }
    const plan = await this.planVerification(deployment, environment);
    const deployed = {
      message: outcome.message!,
      actor: ENGINE_ACTOR,
      executor,
    };
    if (await this.transitions.beginVerification(deployment, plan, deployed)) {
      await this.runVerification(deployment, plan, signal);
    }
  }

  /** Runs the environment's verification and records the outcome. */
  private async runVerification(
    deployment: Deployment,
    plan: VerificationPlan,
    signal: AbortSignal,
  ): Promise<void> {
    const result =
      'error' in plan
        ? { passed: false, message: plan.error }
        : await new HttpVerifier(plan).verify(signal);
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

  private planVerification(
    deployment: Deployment,
    environment: EnvironmentDefinition,
  ): Promise<VerificationPlan> {
    return planVerification(deployment, environment, this.options.entityOf);
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
