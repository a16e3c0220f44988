import { Knex } from 'knex';
import {
  ArtifactType,
  Deployment,
  DeploymentApproval,
  DeploymentKind,
  DeploymentStatus,
  DeploymentTransition,
} from 'backstage-plugin-immutable-releases-common';
import { bySeq, jsonArrayOf, parsedJson } from './jsonColumns';

/** A row of `selectDeployments`: a deployment with its release, transitions and approvals. */
export interface DeploymentRow {
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

/**
 * The statuses of a deployment that has started running, whatever came of it.
 * PostgreSQL's partial index `deployments_started_idx` names the same list:
 * with any other, a query for them can no longer use it (a new migration
 * would replace the index).
 */
export const STARTED_STATUSES: DeploymentStatus[] = [
  'running',
  'verifying',
  'succeeded',
  'failed',
];

/**
 * `column IN ('status', …)` with the statuses written into the statement,
 * not bound: a plan PostgreSQL keeps for a prepared statement can use a
 * partial index of some statuses only when the statement names them.
 */
export function whereStatusIn<Builder extends Knex.QueryBuilder>(
  builder: Builder,
  column: string,
  statuses: readonly DeploymentStatus[],
): Builder {
  const unsafe = statuses.find(status => !/^[a-z_]+$/.test(status));
  if (unsafe !== undefined) {
    throw new Error(`Not a deployment status: ${JSON.stringify(unsafe)}`);
  }
  return builder.whereRaw(
    `?? in (${statuses.map(status => `'${status}'`).join(', ')})`,
    [column],
  ) as Builder;
}

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

/** Deployments with their release, transitions and approvals, in one statement. */
export function selectDeployments(db: Knex) {
  return db<DeploymentRow>('deployments as d')
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
      db.raw(
        `(SELECT ${jsonArrayOf(db, 't', TRANSITION_COLUMNS)}
          FROM deployment_transitions t WHERE t.deployment_id = d.id) as transitions`,
      ),
      db.raw(
        `(SELECT ${jsonArrayOf(db, 'a', APPROVAL_COLUMNS)}
          FROM deployment_approvals a WHERE a.deployment_id = d.id) as approvals`,
      ),
    );
}

/** Deployments from their rows, with transitions and approvals in the order they happened. */
export function toDeployments(rows: DeploymentRow[]): Deployment[] {
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
