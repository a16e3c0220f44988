import { Knex } from 'knex';
import { DeploymentStatus } from 'backstage-plugin-immutable-releases-common';
import { TransitionRecord } from './DeploymentStore';
import { prepared } from './postgresStatements';
import { compiledOnce, StatementParams } from './compiledStatements';

/** A row of `deployment_transitions`: one step of a deployment's status. */
export type TransitionRow = {
  deployment_id: string;
  status: DeploymentStatus;
  at: string;
  actor: string;
  message: string;
};

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

/** Inserts one row of `deployment_transitions`. */
export const insertTransition = compiledOnce<TransitionRow, unknown>(
  (db, row) => db('deployment_transitions').insert(row),
);

/**
 * On PostgreSQL, `update` (of one deployment, returning its `id`) and then
 * `transition`, as one statement: the update a `WITH` query that the insert
 * selects from. Answers `rowCount` 1 when the update changed the row.
 */
function updateThenTransition(
  db: Knex,
  update: Knex.QueryBuilder,
  transition: TransitionRow,
): Knex.Raw {
  return prepared(
    db.raw(
      `WITH changed AS (?)
     INSERT INTO deployment_transitions (deployment_id, status, at, actor, message)
     SELECT id, ?, ?, ?, ? FROM changed`,
      [
        update,
        transition.status,
        transition.at,
        transition.actor,
        transition.message,
      ],
    ),
  );
}

/**
 * Updates the one deployment `query` selects with `columns` and, if it did,
 * records `transition`: whether it did. On PostgreSQL one statement, one
 * round trip.
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
    await insertTransition(db, transition);
    return true;
  }
  const { rowCount } = await updateThenTransition(
    db,
    query.update(columns, ['id']),
    transition,
  );
  return rowCount === 1;
}

/**
 * `updateWithTransition` compiled once per shape (`compiledOnce`): `build`
 * makes the update's query and columns, `transitionOf` the transition, from
 * the parameters alone.
 */
export function compiledUpdateWithTransition<P extends StatementParams>(
  build: (
    db: Knex,
    params: P,
  ) => { query: Knex.QueryBuilder; columns: Record<string, unknown> },
  transitionOf: (params: P) => TransitionRow,
): (db: Knex, params: P) => Promise<boolean> {
  const onPostgres = compiledOnce<P, { rowCount: number }>((db, params) => {
    const { query, columns } = build(db, params);
    return updateThenTransition(
      db,
      query.update(columns, ['id']),
      transitionOf(params),
    );
  });
  const update = compiledOnce<P, number>((db, params) => {
    const { query, columns } = build(db, params);
    return query.update(columns);
  });
  return async (db, params) => {
    if (db.client.dialect === 'postgresql') {
      return (await onPostgres(db, params)).rowCount === 1;
    }
    if ((await update(db, params)) !== 1) {
      return false;
    }
    await insertTransition(db, transitionOf(params));
    return true;
  };
}
