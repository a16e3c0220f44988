import { Knex } from 'knex';
import {
  ACTIVE_DEPLOYMENT_STATUSES,
  ArtifactType,
  Deployment,
  DeploymentApproval,
  DeploymentKind,
  DeploymentStatus,
  DeploymentTransition,
  Page,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import {
  AbandonedDeployment,
  DeploymentStore,
  EnvironmentDeployments,
  EnvironmentKey,
  NewDeployment,
  PendingDeployment,
  StatusChange,
  TransitionRecord,
} from './DeploymentStore';
import { toEventRow } from './DatabaseEventStore';
import { isUniqueViolation } from './errors';
import { bySeq, jsonArrayOf, parsedJson } from './jsonColumns';
import { latestSeqsPerEnvironment } from './latestPerEnvironment';
import { environmentKeyId } from './ObservationStore';
import { fetchPage, PageRequest } from './pagination';

interface DeploymentRow {
  seq: number;
  id: string;
  entity_ref: string;
  environment: string;
  release_id: string;
  kind: string;
  status: string;
  reason: string | null;
  requested_by: string;
  created_at: string;
  updated_at: string;
  gates: string;
  executor: string | null;
  pipeline?: string;
  awaiting_callback?: boolean | number;
  release_version: string;
  revoked_release_id?: string | null;
  artifact_type: string;
  artifact_uri: string;
  artifact_digest: string;
  transitions: string | TransitionJson[];
  approvals: string | ApprovalJson[];
}

const STARTED_STATUSES: DeploymentStatus[] = [
  'running',
  'verifying',
  'succeeded',
  'failed',
];

interface TransitionJson {
  seq: number;
  status: string;
  at: string;
  actor: string;
  message: string;
}

interface ApprovalJson {
  seq: number;
  approver: string;
  decision: string;
  comment: string | null;
  at: string;
}

const TRANSITION_COLUMNS = ['seq', 'status', 'at', 'actor', 'message'];
const APPROVAL_COLUMNS = ['seq', 'approver', 'decision', 'comment', 'at'];

export class DatabaseDeploymentStore implements DeploymentStore {
  constructor(private readonly db: Knex) {}

  async insertDeployment(
    deployment: NewDeployment,
    transition: TransitionRecord,
  ): Promise<void> {
    await this.db('deployments').insert({
      id: deployment.id,
      entity_ref: deployment.entityRef,
      pipeline: deployment.pipeline,
      environment: deployment.environment,
      release_id: deployment.releaseId,
      kind: deployment.kind,
      status: 'pending',
      reason: deployment.reason,
      requested_by: deployment.requestedBy,
      created_at: deployment.createdAt,
      updated_at: deployment.createdAt,
      gates: JSON.stringify(deployment.gates),
      override_reason: deployment.overrideReason,
    });
    await this.insertTransition(deployment.id, 'pending', transition);
  }

  async getDeployment(deploymentId: string): Promise<Deployment | undefined> {
    const [deployment] = this.toDeployments(
      await this.selectDeployments().where('d.id', deploymentId),
    );
    return deployment;
  }

  async listDeployments(
    entityRef: string,
    filter: { environment?: string } & PageRequest,
  ): Promise<Page<Deployment>> {
    const query = this.selectDeployments().where('d.entity_ref', entityRef);
    if (filter.environment !== undefined) {
      query.where('d.environment', filter.environment);
    }
    return fetchPage<DeploymentRow, Deployment>(
      query,
      filter,
      rows => this.toDeployments(rows),
      'd.seq',
    );
  }

  async listPending(key: EnvironmentKey): Promise<PendingDeployment[]> {
    const rows = await this.selectDeployments()
      .select('d.pipeline')
      .where({
        'd.entity_ref': key.entityRef,
        'd.environment': key.environment,
        'd.status': 'pending',
      })
      .orderBy('d.seq', 'asc');
    const deployments = this.toDeployments(rows);
    return deployments.map((deployment, index) => ({
      ...deployment,
      pipeline: rows[index].pipeline!,
    }));
  }

  async getLatestStarted(key: EnvironmentKey): Promise<Deployment | undefined> {
    const [deployment] = this.toDeployments(
      await this.selectDeployments()
        .where({
          'd.entity_ref': key.entityRef,
          'd.environment': key.environment,
        })
        .whereIn('d.status', STARTED_STATUSES)
        .orderBy('d.seq', 'desc')
        .limit(1),
    );
    return deployment;
  }

  async describeEnvironments(
    keys: EnvironmentKey[],
  ): Promise<Map<string, EnvironmentDeployments>> {
    const result = new Map<string, EnvironmentDeployments>(
      keys.map(key => [environmentKeyId(key), { pending: [] }]),
    );
    if (keys.length === 0) {
      return result;
    }
    const [latest, pendingRows] = await Promise.all([
      latestSeqsPerEnvironment(this.db, keys, {
        current: { statuses: ['succeeded'], order: 'updated' },
        started: { statuses: STARTED_STATUSES, order: 'seq' },
      }) as Promise<Array<{ current: number | null; started: number | null }>>,
      this.db('deployments')
        .select('seq')
        .whereIn(
          ['entity_ref', 'environment'],
          keys.map(key => [key.entityRef, key.environment]),
        )
        .where('status', 'pending') as Promise<Array<{ seq: number }>>,
    ]);
    const seqsOf = (seqs: Array<number | null>) =>
      new Set(seqs.flatMap(seq => (seq === null ? [] : [Number(seq)])));
    const currentSeqs = seqsOf(latest.map(row => row.current));
    const startedSeqs = seqsOf(latest.map(row => row.started));
    // The current deployment is usually also the latest started one: one
    // set, so no seq is asked for twice.
    const seqs = [
      ...seqsOf([
        ...currentSeqs,
        ...startedSeqs,
        ...pendingRows.map(row => row.seq),
      ]),
    ];
    const rows: DeploymentRow[] = await this.selectDeployments()
      .whereIn('d.seq', seqs)
      .orderBy('d.seq', 'asc');
    const deployments = this.toDeployments(rows);
    deployments.forEach((deployment, index) => {
      const environment = result.get(environmentKeyId(deployment))!;
      const seq = Number(rows[index].seq);
      if (currentSeqs.has(seq)) {
        environment.current = deployment;
      }
      if (startedSeqs.has(seq)) {
        environment.latestStarted = deployment;
      }
      if (deployment.status === 'pending') {
        environment.pending.push(deployment);
      }
    });
    return result;
  }

  async getPipelineName(deploymentId: string): Promise<string | undefined> {
    const row = await this.db('deployments')
      .select('pipeline')
      .where({ id: deploymentId })
      .first();
    return row?.pipeline;
  }

  async getActive(key: EnvironmentKey): Promise<Deployment | undefined> {
    const [deployment] = this.toDeployments(
      await this.selectDeployments()
        .where({
          'd.entity_ref': key.entityRef,
          'd.environment': key.environment,
        })
        .whereIn('d.status', ACTIVE_DEPLOYMENT_STATUSES),
    );
    return deployment;
  }

  async claim(
    deploymentId: string,
    owner: string,
    leaseExpiresAt: string,
    transition: TransitionRecord,
    events: ReleaseEvent[] = [],
    callbackTokenHash?: string,
  ): Promise<boolean> {
    try {
      return await this.db.transaction(async tx => {
        const updated = await tx('deployments')
          .where({ id: deploymentId, status: 'pending' })
          // A blocking hold, set in the same transaction as the failure it
          // follows, keeps the environment's queue where it is.
          .whereNotExists(
            tx('environment_holds as h')
              .select(tx.raw('1'))
              .whereRaw('h.entity_ref = deployments.entity_ref')
              .whereRaw('h.environment = deployments.environment')
              .where('h.blocks_deployments', true),
          )
          .update({
            status: 'running',
            lease_owner: owner,
            lease_expires_at: leaseExpiresAt,
            updated_at: transition.at,
            callback_token_hash: callbackTokenHash ?? null,
          });
        if (updated !== 1) {
          return false;
        }
        await new DatabaseDeploymentStore(tx).insertTransition(
          deploymentId,
          'running',
          transition,
        );
        if (events.length > 0) {
          await tx('events').insert(events.map(toEventRow));
        }
        return true;
      });
    } catch (error) {
      // The partial unique index refused a second active deployment.
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  async renewLease(
    deploymentId: string,
    owner: string,
    leaseExpiresAt: string,
  ): Promise<boolean> {
    const updated = await this.db('deployments')
      .where({ id: deploymentId, lease_owner: owner })
      .whereIn('status', ACTIVE_DEPLOYMENT_STATUSES)
      .update({ lease_expires_at: leaseExpiresAt });
    return updated === 1;
  }

  async changeStatus(
    deploymentId: string,
    change: StatusChange,
  ): Promise<boolean> {
    const update: Record<string, unknown> = {
      status: change.to,
      updated_at: change.at,
    };
    if (change.executor) {
      update.executor = JSON.stringify(change.executor);
    }
    if (change.lease) {
      update.awaiting_callback = false;
      update.callback_deadline = null;
      update.lease_owner = change.lease.owner;
      update.lease_expires_at = change.lease.expiresAt;
    } else if (change.awaitingCallbackUntil) {
      update.awaiting_callback = true;
      update.callback_deadline = change.awaitingCallbackUntil;
      update.lease_owner = null;
      update.lease_expires_at = null;
    } else if (!ACTIVE_DEPLOYMENT_STATUSES.includes(change.to)) {
      update.awaiting_callback = false;
      update.lease_owner = null;
      update.lease_expires_at = null;
    }
    const query = this.db('deployments')
      .where({ id: deploymentId })
      .whereIn('status', change.from);
    if (change.onlyIfAwaitingCallback) {
      query.where('awaiting_callback', true);
    }
    const updated = await query.update(update);
    if (updated !== 1) {
      return false;
    }
    await this.insertTransition(deploymentId, change.to, change);
    return true;
  }

  async holdPending(deploymentId: string, at: string): Promise<boolean> {
    // An UPDATE, not a SELECT: it takes the row lock that a concurrent
    // status change (cancel, reject, claim) waits for.
    const updated = await this.db('deployments')
      .where({ id: deploymentId, status: 'pending' })
      .update({ updated_at: at });
    return updated === 1;
  }

  async getAwaitedCallback(
    deploymentId: string,
  ): Promise<{ callbackTokenHash: string | null } | undefined> {
    const row = await this.db('deployments')
      .select('awaiting_callback', 'callback_token_hash')
      .where({ id: deploymentId, status: 'running' })
      .first();
    return row?.awaiting_callback
      ? { callbackTokenHash: row.callback_token_hash ?? null }
      : undefined;
  }

  async listAbandoned(now: string): Promise<AbandonedDeployment[]> {
    const rows = await this.selectDeployments()
      .select('d.awaiting_callback')
      .whereIn('d.status', ACTIVE_DEPLOYMENT_STATUSES)
      .where(builder =>
        builder
          .where(lease =>
            lease
              .where('d.awaiting_callback', false)
              .where('d.lease_expires_at', '<', now),
          )
          .orWhere(callback =>
            callback
              .where('d.awaiting_callback', true)
              .where('d.callback_deadline', '<', now),
          ),
      );
    const deployments = this.toDeployments(rows);
    return deployments.map((deployment, index) => ({
      deployment,
      cause: rows[index].awaiting_callback
        ? 'callback-overdue'
        : 'claim-expired',
    }));
  }

  async listEnvironmentsWithPending(): Promise<EnvironmentKey[]> {
    const rows = await this.db('deployments')
      .distinct('entity_ref', 'environment')
      .where({ status: 'pending' });
    return rows.map(row => ({
      entityRef: row.entity_ref,
      environment: row.environment,
    }));
  }

  async listSucceeded(
    key: EnvironmentKey,
    limit: number,
  ): Promise<Deployment[]> {
    return this.toDeployments(
      await this.selectDeployments()
        .where({
          'd.entity_ref': key.entityRef,
          'd.environment': key.environment,
          'd.status': 'succeeded',
        })
        .orderBy('d.updated_at', 'desc')
        .orderBy('d.seq', 'desc')
        .limit(limit),
    );
  }

  async hasSucceeded(releaseId: string, environment: string): Promise<boolean> {
    const row = await this.db('deployments')
      .select('id')
      .where({ release_id: releaseId, environment, status: 'succeeded' })
      .first();
    return Boolean(row);
  }

  async addApproval(
    deploymentId: string,
    approval: DeploymentApproval,
  ): Promise<'added' | 'duplicate'> {
    try {
      await this.db('deployment_approvals').insert({
        deployment_id: deploymentId,
        approver: approval.approver,
        decision: approval.decision,
        comment: approval.comment ?? null,
        at: approval.at,
      });
      return 'added';
    } catch (error) {
      if (isUniqueViolation(error)) {
        return 'duplicate';
      }
      throw error;
    }
  }

  private async insertTransition(
    deploymentId: string,
    status: DeploymentStatus,
    transition: TransitionRecord,
  ) {
    await this.db('deployment_transitions').insert({
      deployment_id: deploymentId,
      status,
      at: transition.at,
      actor: transition.actor,
      message: transition.message,
    });
  }

  private selectDeployments() {
    return this.db<DeploymentRow>('deployments as d')
      .join('releases as r', 'r.id', 'd.release_id')
      .leftJoin('release_revocations as rv', 'rv.release_id', 'd.release_id')
      .select(
        'd.seq',
        'd.id',
        'd.entity_ref',
        'd.environment',
        'd.release_id',
        'd.kind',
        'd.status',
        'd.reason',
        'd.requested_by',
        'd.created_at',
        'd.updated_at',
        'd.gates',
        'd.executor',
        'r.version as release_version',
        'rv.release_id as revoked_release_id',
        'r.artifact_type',
        'r.artifact_uri',
        'r.artifact_digest',
        // A deployment's transitions and approvals come in its own row, so
        // every read of deployments is one statement.
        this.db.raw(
          `(SELECT ${jsonArrayOf(this.db, 't', TRANSITION_COLUMNS)}
            FROM deployment_transitions t WHERE t.deployment_id = d.id) as transitions`,
        ),
        this.db.raw(
          `(SELECT ${jsonArrayOf(this.db, 'a', APPROVAL_COLUMNS)}
            FROM deployment_approvals a WHERE a.deployment_id = d.id) as approvals`,
        ),
      );
  }

  /** Attaches transitions and approvals to deployment rows, keeping their order. */
  /** Deployments from their rows, with transitions and approvals in the order they happened. */
  private toDeployments(rows: DeploymentRow[]): Deployment[] {
    return rows.map(row => ({
      id: row.id,
      entityRef: row.entity_ref,
      environment: row.environment,
      releaseId: row.release_id,
      release: {
        id: row.release_id,
        version: row.release_version,
        artifact: {
          type: row.artifact_type as ArtifactType,
          uri: row.artifact_uri,
          digest: row.artifact_digest,
        },
        revoked: Boolean(row.revoked_release_id),
      },
      kind: row.kind as DeploymentKind,
      status: row.status as DeploymentStatus,
      reason: row.reason,
      requestedBy: row.requested_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      transitions: parsedJson(row.transitions)
        .sort(bySeq)
        .map(
          (t): DeploymentTransition => ({
            status: t.status as DeploymentStatus,
            at: t.at,
            actor: t.actor,
            message: t.message,
          }),
        ),
      gates: JSON.parse(row.gates),
      approvals: parsedJson(row.approvals)
        .sort(bySeq)
        .map(
          (a): DeploymentApproval => ({
            approver: a.approver,
            decision: a.decision as DeploymentApproval['decision'],
            ...(a.comment ? { comment: a.comment } : {}),
            at: a.at,
          }),
        ),
      executor: row.executor ? JSON.parse(row.executor) : null,
    }));
  }
}
