import { Knex } from 'knex';
import { DeploymentKind } from 'backstage-plugin-immutable-releases-common';
import { NewDeployment, TransitionRecord } from './DeploymentStore';
import { compiledOnce } from './compiledStatements';
import { whereStatusIn } from './deploymentRows';
import { prepared } from './postgresStatements';
import { insertTransition, TransitionRow } from './statusChanges';

/** A new deployment's row and its first transition's values. */
type DeploymentInsertParams = {
  id: string;
  entity_ref: string;
  pipeline: string;
  environment: string;
  release_id: string;
  kind: string;
  reason: string | null;
  requested_by: string;
  created_at: string;
  gates: string;
  override_reason: string | null;
  transition_at: string;
  transition_actor: string;
  transition_message: string;
};

function insertDeploymentRow(db: Knex, params: DeploymentInsertParams) {
  const {
    transition_at: _at,
    transition_actor: _actor,
    transition_message: _message,
    ...row
  } = params;
  return db('deployments').insert({
    ...row,
    status: 'pending',
    updated_at: row.created_at,
  });
}

function pendingTransitionOf(params: DeploymentInsertParams): TransitionRow {
  return {
    deployment_id: params.id,
    status: 'pending',
    at: params.transition_at,
    actor: params.transition_actor,
    message: params.transition_message,
  };
}

/** A deployment waiting in its environment, with its release's version. */
export type WaitingRow = {
  id: string;
  release_id: string;
  kind: DeploymentKind;
  version: string;
};

/** The pending deployments of the new deployment's environment, oldest first. */
function selectWaiting(db: Knex, params: DeploymentInsertParams) {
  return whereStatusIn(
    db('deployments as d')
      .join('releases as r', 'r.id', 'd.release_id')
      .select('d.id', 'd.release_id', 'd.kind', 'r.version')
      .where({
        'd.entity_ref': params.entity_ref,
        'd.environment': params.environment,
      }),
    'd.status',
    ['pending'],
  ).orderBy('d.seq', 'asc');
}

const waitingBefore = compiledOnce<DeploymentInsertParams, WaitingRow[]>(
  (db, params) => prepared(selectWaiting(db, params)),
);

/**
 * On PostgreSQL, the deployment and its first transition inserted by the
 * statement that reads what waits in its environment: every part of a
 * statement sees the database as it was before the statement's writes, so
 * the new deployment is not among what it answers.
 */
const deploymentAfterWaiting = compiledOnce<
  DeploymentInsertParams,
  WaitingRow[]
>((db, params) =>
  prepared(
    selectWaiting(db, params)
      .with('deployment', insertDeploymentRow(db, params))
      .with(
        'transition',
        db('deployment_transitions').insert(pendingTransitionOf(params)),
      ),
  ),
);

const deploymentAlone = compiledOnce<DeploymentInsertParams, unknown>(
  insertDeploymentRow,
);

/** On PostgreSQL, the deployment and its first transition in one statement. */
const deploymentWithTransition = compiledOnce<DeploymentInsertParams, unknown>(
  (db, params) =>
    prepared(
      db('deployment_transitions')
        .insert(pendingTransitionOf(params))
        .with('deployment', insertDeploymentRow(db, params)),
    ),
);

/**
 * Inserts a new deployment, pending, with its first transition: compiled
 * once, as every promotion and rollback makes one. On PostgreSQL one
 * statement, one round trip.
 */
export async function insertNewDeployment(
  db: Knex,
  deployment: NewDeployment,
  transition: TransitionRecord,
): Promise<void> {
  const params = insertParams(deployment, transition);
  if (db.client.dialect === 'postgresql') {
    await deploymentWithTransition(db, params);
  } else {
    await deploymentAlone(db, params);
    await insertTransition(db, pendingTransitionOf(params));
  }
}

/**
 * As `insertNewDeployment`, answering the deployments that were waiting in
 * its environment before it, oldest first. On PostgreSQL one statement.
 */
export async function enqueueNewDeployment(
  db: Knex,
  deployment: NewDeployment,
  transition: TransitionRecord,
): Promise<WaitingRow[]> {
  const params = insertParams(deployment, transition);
  if (db.client.dialect === 'postgresql') {
    return deploymentAfterWaiting(db, params);
  }
  const waiting = await waitingBefore(db, params);
  await deploymentAlone(db, params);
  await insertTransition(db, pendingTransitionOf(params));
  return waiting;
}

function insertParams(
  deployment: NewDeployment,
  transition: TransitionRecord,
): DeploymentInsertParams {
  return {
    id: deployment.id,
    entity_ref: deployment.entityRef,
    pipeline: deployment.pipeline,
    environment: deployment.environment,
    release_id: deployment.releaseId,
    kind: deployment.kind,
    reason: deployment.reason ?? null,
    requested_by: deployment.requestedBy,
    created_at: deployment.createdAt,
    gates: JSON.stringify(deployment.gates),
    override_reason: deployment.overrideReason ?? null,
    transition_at: transition.at,
    transition_actor: transition.actor,
    transition_message: transition.message,
  };
}
