import { Knex } from 'knex';
import { NewDeployment, TransitionRecord } from './DeploymentStore';
import { compiledOnce } from './compiledStatements';
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
  const params: DeploymentInsertParams = {
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
  if (db.client.dialect === 'postgresql') {
    await deploymentWithTransition(db, params);
  } else {
    await deploymentAlone(db, params);
    await insertTransition(db, pendingTransitionOf(params));
  }
}
