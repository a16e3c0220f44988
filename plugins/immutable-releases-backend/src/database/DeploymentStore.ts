import { EnvironmentSummary } from './summarizeEnvironments';
import {
  Deployment,
  DeploymentApproval,
  DeploymentExecutorResult,
  DeploymentKind,
  DeploymentStatus,
  GateResult,
  Page,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { PageRequest } from './pagination';

export interface NewDeployment {
  id: string;
  entityRef: string;
  pipeline: string;
  environment: string;
  releaseId: string;
  kind: DeploymentKind;
  reason: string | null;
  requestedBy: string;
  createdAt: string;
  gates: GateResult[];
  overrideReason: string | null;
}

/** A status change and who made it, stored as a transition. */
export interface TransitionRecord {
  at: string;
  actor: string;
  message: string;
}

export interface StatusChange extends TransitionRecord {
  from: ReadonlyArray<DeploymentStatus>;
  to: DeploymentStatus;
  executor?: DeploymentExecutorResult;
  /** Set when the deployment now waits for an asynchronous executor's callback. */
  awaitingCallbackUntil?: string;
  /** Change only a deployment that waits for an asynchronous executor's callback. */
  onlyIfAwaitingCallback?: boolean;
  /** A runner takes the claim on the deployment (it stops waiting for a callback). */
  lease?: { owner: string; expiresAt: string };
}

export interface AbandonedDeployment {
  deployment: Deployment;
  cause: 'claim-expired' | 'callback-overdue';
}

export interface EnvironmentKey {
  entityRef: string;
  environment: string;
}

export type PendingDeployment = Deployment & { pipeline: string };

/** What names a deployment: enough for an event about it. */
export type DeploymentIdentity = Pick<
  Deployment,
  'id' | 'entityRef' | 'environment' | 'releaseId' | 'kind'
> & { release: Pick<Deployment['release'], 'version'> };

export interface EnvironmentDeployments {
  current?: Deployment;
  latestStarted?: Deployment;
  /** Oldest first. */
  pending: Deployment[];
}

/** A pending deployment that may wait for approvals, as the approvals inbox reads it. */
export interface AwaitingApproval {
  seq: number;
  deployment: Deployment;
  pipeline: string;
  releaseCreatedBy: string;
}

/**
 * Deployments are state machines: their status moves forward through
 * conditional updates, every move is kept as a transition, and the database
 * lets at most one deployment per environment be running or verifying.
 */
/** Which of an entity's deployments a list holds. */
export interface DeploymentFilter {
  environment?: string;
  releaseId?: string;
}

export interface DeploymentStore {
  insertDeployment(
    deployment: NewDeployment,
    transition: TransitionRecord,
  ): Promise<void>;
  /**
   * Inserts a deployment as `insertDeployment` does, and answers the
   * deployments that were waiting in its environment before it (pending,
   * oldest first): what its queue policy decides on.
   */
  enqueueDeployment(
    deployment: NewDeployment,
    transition: TransitionRecord,
  ): Promise<DeploymentIdentity[]>;
  getDeployment(deploymentId: string): Promise<Deployment | undefined>;
  listDeployments(
    entityRef: string,
    filter: DeploymentFilter & PageRequest,
  ): Promise<Page<Deployment>>;
  /**
   * Within a transaction: holds a pending deployment until the transaction
   * ends (marking it updated at `at`), so that nothing changes its status
   * meanwhile. False when it is not pending.
   */
  holdPending(deploymentId: string, at: string): Promise<boolean>;
  /**
   * When the deployment is running and waits for an asynchronous executor's
   * callback: the SHA-256 (hex) of the callback token its executor received
   * (null for a deployment started before callback tokens existed).
   * Undefined when it does not wait for a callback.
   */
  getAwaitedCallback(
    deploymentId: string,
  ): Promise<{ callbackTokenHash: string | null } | undefined>;
  /**
   * Pending deployments in the given environments of pipelines that
   * `approver` has not decided on, newest first, after the `seq` of
   * `beforeSeq`: what the approvals inbox sorts through.
   */
  listAwaitingApproval(filter: {
    environments: Array<{ pipeline: string; environment: string }>;
    approver: string;
    beforeSeq?: number;
    limit: number;
  }): Promise<AwaitingApproval[]>;
  /** Pending deployments of an environment, oldest first, with the pipeline each was requested under. */
  listPending(key: EnvironmentKey): Promise<PendingDeployment[]>;
  /**
   * The same for many environments at once, keyed by `environmentKeyId`;
   * environments without pending deployments are left out.
   */
  listPendingIn(
    keys: EnvironmentKey[],
  ): Promise<Map<string, PendingDeployment[]>>;
  /** The latest deployment of an environment that started (whatever its outcome). */
  getLatestStarted(key: EnvironmentKey): Promise<Deployment | undefined>;
  /**
   * For each environment: its current deployment (the latest to succeed),
   * the latest that started and the pending ones. One statement,
   * whatever the number of environments. Keyed by `environmentKeyId`.
   */
  describeEnvironments(
    keys: EnvironmentKey[],
  ): Promise<Map<string, EnvironmentDeployments>>;
  /**
   * Each environment's current release and pending count, without reading
   * any deployment whole (the fleet's rows). Keyed by `environmentKeyId`.
   */
  summarizeEnvironments(
    keys: EnvironmentKey[],
  ): Promise<Map<string, EnvironmentSummary>>;
  /** The pipeline a deployment was requested under. */
  getPipelineName(deploymentId: string): Promise<string | undefined>;
  /** The running or verifying deployment of an environment, if any. */
  getActive(key: EnvironmentKey): Promise<Deployment | undefined>;
  /**
   * Moves a pending deployment to running for `owner`, and appends `events`
   * to the audit trail in the same transaction. False (nothing written) when
   * it is no longer pending, when another deployment occupies the
   * environment, or when a blocking hold keeps the environment's queue. `callbackTokenHash` is kept for `getAwaitedCallback`.
   */
  claim(
    deploymentId: string,
    owner: string,
    leaseExpiresAt: string,
    transition: TransitionRecord,
    events?: ReleaseEvent[],
    callbackTokenHash?: string,
  ): Promise<boolean>;
  /**
   * `claim` in the transaction the store is bound to, without a savepoint
   * and without events: false (nothing written) when the deployment is no
   * longer pending, when a committed deployment occupies the environment,
   * when a blocking hold keeps its queue or when its release is revoked (so
   * the caller may start it without reading the release again; `claim`
   * takes a revoked release's deployment, for the runner to fail it). A
   * claim that races another one for the same environment throws
   * `ClaimRacedError`; on PostgreSQL the transaction can then only be
   * rolled back.
   */
  claimInTransaction(
    deploymentId: string,
    owner: string,
    leaseExpiresAt: string,
    transition: TransitionRecord,
    callbackTokenHash?: string,
  ): Promise<boolean>;
  /** Extends the claim of a running deployment; false when it is no longer ours. */
  renewLease(
    deploymentId: string,
    owner: string,
    leaseExpiresAt: string,
  ): Promise<boolean>;
  /**
   * Replaces what is known of the executor's work on a running deployment
   * that `owner` carries out; false (nothing written) otherwise.
   */
  recordProgress(
    deploymentId: string,
    owner: string,
    executor: DeploymentExecutorResult,
  ): Promise<boolean>;
  /** Applies the change when the deployment is in one of `change.from`; false otherwise. */
  changeStatus(deploymentId: string, change: StatusChange): Promise<boolean>;
  /** Running deployments whose owner stopped renewing its claim, or whose callback is overdue. */
  listAbandoned(now: string): Promise<AbandonedDeployment[]>;
  /** Environments with pending deployments, to start what waits. */
  listEnvironmentsWithPending(): Promise<EnvironmentKey[]>;
  /** The latest succeeded deployments of an environment, newest first. */
  listSucceeded(key: EnvironmentKey, limit: number): Promise<Deployment[]>;
  /** Whether the release ever succeeded in the environment. */
  hasSucceeded(releaseId: string, environment: string): Promise<boolean>;
  addApproval(
    deploymentId: string,
    approval: DeploymentApproval,
  ): Promise<'added' | 'duplicate'>;
}

/** Another claim took the environment while this one was being made. */
export class ClaimRacedError extends Error {
  constructor(deploymentId: string) {
    super(
      `deployment ${deploymentId} was not claimed: another deployment of its environment was claimed at the same time`,
    );
    this.name = 'ClaimRacedError';
  }
}
