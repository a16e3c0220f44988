import { Knex } from 'knex';
import {
  ACTIVE_DEPLOYMENT_STATUSES,
  Deployment,
  DeploymentApproval,
  DeploymentExecutorResult,
  Page,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import {
  AbandonedDeployment,
  AwaitingApproval,
  ClaimRacedError,
  DeploymentFilter,
  DeploymentIdentity,
  DeploymentStore,
  EnvironmentDeployments,
  EnvironmentKey,
  NewDeployment,
  PendingDeployment,
  StatusChange,
  TransitionRecord,
} from './DeploymentStore';
import { DatabaseEventStore } from './DatabaseEventStore';
import {
  DeploymentRow,
  selectDeployments,
  STARTED_STATUSES,
  toDeployments,
} from './deploymentRows';
import { describeEnvironments } from './describeEnvironments';
import { prepared } from './postgresStatements';
import { listPending, listPendingIn } from './pendingDeployments';
import { summarizeEnvironments } from './summarizeEnvironments';
import { isUniqueViolation } from './errors';
import { transitionRow, updateWithTransition } from './statusChanges';
import { enqueueNewDeployment, insertNewDeployment } from './deploymentInserts';
import { claimPending } from './deploymentClaims';
import {
  fetchPage,
  PageRequest,
  whereEntityInSeqOrder,
  withinPage,
} from './pagination';

/**
 * The deployments in the database: requests, claims and status changes, and
 * the reads of them. How a deployment is read from its rows is in
 * `deploymentRows`; the environments view's query in `describeEnvironments`,
 * the fleet's in `summarizeEnvironments`, the reads of what waits in
 * `pendingDeployments`.
 */
export class DatabaseDeploymentStore implements DeploymentStore {
  constructor(private readonly db: Knex) {}

  async insertDeployment(
    deployment: NewDeployment,
    transition: TransitionRecord,
  ): Promise<void> {
    await insertNewDeployment(this.db, deployment, transition);
  }

  async enqueueDeployment(
    deployment: NewDeployment,
    transition: TransitionRecord,
  ): Promise<DeploymentIdentity[]> {
    const rows = await enqueueNewDeployment(this.db, deployment, transition);
    return rows.map(row => ({
      id: row.id,
      entityRef: deployment.entityRef,
      environment: deployment.environment,
      releaseId: row.release_id,
      kind: row.kind,
      release: { version: row.version },
    }));
  }

  async getDeployment(deploymentId: string): Promise<Deployment | undefined> {
    const [deployment] = toDeployments(
      await prepared(selectDeployments(this.db).where('d.id', deploymentId)),
    );
    return deployment;
  }

  async listDeployments(
    entityRef: string,
    filter: DeploymentFilter & PageRequest,
  ): Promise<Page<Deployment>> {
    const query = selectDeployments(this.db);
    if (filter.environment === undefined && filter.releaseId === undefined) {
      whereEntityInSeqOrder(this.db, query, 'd.entity_ref', entityRef);
    } else {
      query.where('d.entity_ref', entityRef);
    }
    if (filter.environment !== undefined) {
      query.where('d.environment', filter.environment);
    }
    if (filter.releaseId !== undefined) {
      query.where('d.release_id', filter.releaseId);
    }
    return fetchPage<DeploymentRow, Deployment>(
      async bounds => withinPage(query, bounds, 'd.seq'),
      filter,
      rows => toDeployments(rows),
    );
  }

  async listPending(key: EnvironmentKey): Promise<PendingDeployment[]> {
    return listPending(this.db, key);
  }

  async listPendingIn(
    keys: EnvironmentKey[],
  ): Promise<Map<string, PendingDeployment[]>> {
    return listPendingIn(this.db, keys);
  }

  async getLatestStarted(key: EnvironmentKey): Promise<Deployment | undefined> {
    const [deployment] = toDeployments(
      await this.selectInEnvironment(key)
        .whereIn('d.status', STARTED_STATUSES)
        .orderBy('d.seq', 'desc')
        .limit(1),
    );
    return deployment;
  }

  async describeEnvironments(
    keys: EnvironmentKey[],
  ): Promise<Map<string, EnvironmentDeployments>> {
    return describeEnvironments(this.db, keys);
  }

  async summarizeEnvironments(keys: EnvironmentKey[]) {
    return summarizeEnvironments(this.db, keys);
  }

  async getPipelineName(deploymentId: string): Promise<string | undefined> {
    const row = await this.db('deployments')
      .select('pipeline')
      .where({ id: deploymentId })
      .first();
    return row?.pipeline;
  }

  async getActive(key: EnvironmentKey): Promise<Deployment | undefined> {
    const [deployment] = toDeployments(
      await this.selectInEnvironment(key).whereIn(
        'd.status',
        ACTIVE_DEPLOYMENT_STATUSES,
      ),
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
        const claimed = await claimPending(
          tx,
          {
            deploymentId,
            owner,
            leaseExpiresAt,
            transition,
            callbackTokenHash,
          },
          { unlessRevoked: false },
        );
        if (claimed) {
          await new DatabaseEventStore(tx).append(events);
        }
        return claimed;
      });
    } catch (error) {
      if (error instanceof ClaimRacedError) {
        return false;
      }
      throw error;
    }
  }

  async claimInTransaction(
    deploymentId: string,
    owner: string,
    leaseExpiresAt: string,
    transition: TransitionRecord,
    callbackTokenHash?: string,
  ): Promise<boolean> {
    return claimPending(
      this.db,
      { deploymentId, owner, leaseExpiresAt, transition, callbackTokenHash },
      { unlessRevoked: true },
    );
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

  async listAwaitingApproval(filter: {
    environments: Array<{ pipeline: string; environment: string }>;
    approver: string;
    beforeSeq?: number;
    limit: number;
  }): Promise<AwaitingApproval[]> {
    if (filter.environments.length === 0) {
      return [];
    }
    const query = selectDeployments(this.db)
      .select('d.pipeline', 'r.created_by as release_created_by')
      .where('d.status', 'pending')
      .where(inEnvironments =>
        filter.environments.forEach(({ pipeline, environment }) =>
          inEnvironments.orWhere(where =>
            where
              .where('d.pipeline', pipeline)
              .where('d.environment', environment),
          ),
        ),
      )
      .whereNotExists(
        this.db('deployment_approvals as decided')
          .select(this.db.raw('1'))
          .whereRaw('decided.deployment_id = d.id')
          .where('decided.approver', filter.approver),
      )
      .orderBy('d.seq', 'desc')
      .limit(filter.limit);
    if (filter.beforeSeq !== undefined) {
      query.where('d.seq', '<', filter.beforeSeq);
    }
    const rows: Array<
      DeploymentRow & { pipeline: string; release_created_by: string }
    > = await query;
    const deployments = toDeployments(rows);
    return rows.map((row, index) => ({
      seq: row.seq,
      deployment: deployments[index],
      pipeline: row.pipeline,
      releaseCreatedBy: row.release_created_by,
    }));
  }

  async recordProgress(
    deploymentId: string,
    owner: string,
    executor: DeploymentExecutorResult,
  ): Promise<boolean> {
    const updated = await this.db('deployments')
      .where({ id: deploymentId, lease_owner: owner, status: 'running' })
      .update({ executor: JSON.stringify(executor) });
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
    return updateWithTransition(
      this.db,
      query,
      update,
      transitionRow(deploymentId, change.to, change),
    );
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
    const rows = await selectDeployments(this.db)
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
    const deployments = toDeployments(rows);
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
    return toDeployments(
      await this.selectInEnvironment(key)
        .where('d.status', 'succeeded')
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

  /** The deployments of one environment, with their release, transitions and approvals. */
  private selectInEnvironment(key: EnvironmentKey) {
    return selectDeployments(this.db).where({
      'd.entity_ref': key.entityRef,
      'd.environment': key.environment,
    });
  }
}
