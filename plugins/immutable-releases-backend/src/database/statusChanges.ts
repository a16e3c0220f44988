import { Knex } from 'knex';
import { DeploymentStatus } from 'backstage-plugin-immutable-releases-common';
import { TransitionRecord } from './DeploymentStore';
import { prepared } from './postgresStatements';

/** A row of `deployment_transitions`: one step of a deployment's status. */
export interface TransitionRow {
  deployment_id: string;
  status: DeploymentStatus;
  at: string;
  actor: string;
  message: string;
}

export function transitionRow(
  deploymentId: string,
  status: DeploymentStatus,
  transition: TransitionRecord,
): TransitionRow {
  return {
    deployment_id: deploymentId,
    status,
    at: transition.at,
    actor: transition.actor,
    message: transition.message,
  };
}

/**
 * Updates the one deployment `query` selects with `columns` and, if it did,
 * records `transition`: whether it did. On PostgreSQL one statement (the
 * update as a `WITH` query that the insert selects from), one round trip.
 */
export async function updateWithTransition(
  db: Knex,
  query: Knex.QueryBuilder,
  columns: Record<string, unknown>,
  transition: TransitionRow,
): Promise<boolean> {
  if (db.client.dialect !== 'postgresql') {
    if ((await query.update(columns)) !== 1) {
      return false;
    }
    await db('deployment_transitions').insert(transition);
    return true;
  }
  const { rowCount } = await prepared(
    db.raw(
      `WITH changed AS (?)
     INSERT INTO deployment_transitions (deployment_id, status, at, actor, message)
     SELECT id, ?, ?, ?, ? FROM changed`,
      [
        query.update(columns, ['id']),
        transition.status,
        transition.at,
        transition.actor,
        transition.message,
      ],
    ),
  );
  return rowCount === 1;
}
