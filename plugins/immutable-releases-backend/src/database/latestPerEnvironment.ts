import { Knex } from 'knex';
import { DeploymentStatus } from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';
import { whereStatusIn } from './deploymentRows';

/** Which deployment of an environment is its latest one. */
export interface LatestDeployment {
  statuses: DeploymentStatus[];
  /** `updated`: the latest to finish; `seq`: the latest requested. */
  order: 'updated' | 'seq';
  /** What is answered of it: its `seq` (the default), or its release's id. */
  answer?: 'seq' | 'release_id';
}

/**
 * The latest deployments per environment, for many environments in one
 * statement: each key is a row of a VALUES list (columns `column1` and
 * `column2` on SQLite and PostgreSQL alike) and each latest `seq` is a
 * correlated `ORDER BY … LIMIT 1`, which an index on the environment reads
 * from its end. A window function over the history would read all of it.
 *
 * A release id is read by that `seq`, in the same correlated subquery:
 * joined with `deployments` by the `seq`s instead, PostgreSQL hashed every
 * deployment to find 150 of them (the fleet page), and reading the release
 * id along with the latest `seq` made it sort each environment's history.
 *
 * Rows: `entity_ref`, `environment` and one column (or null) per name of
 * `latest`, holding what it answers.
 */
export function latestPerEnvironment<Name extends string>(
  db: Knex,
  keys: EnvironmentKey[],
  latest: Record<Name, LatestDeployment>,
) {
  const columns = Object.entries<LatestDeployment>(latest).map(
    ([name, { statuses, order, answer = 'seq' }]) => {
      const latestSeq = whereStatusIn(
        db('deployments as latest')
          .select('latest.seq')
          .whereRaw('latest.entity_ref = k.column1')
          .whereRaw('latest.environment = k.column2'),
        'latest.status',
        statuses,
      )
        .orderBy(
          order === 'updated'
            ? [
                { column: 'latest.updated_at', order: 'desc' },
                { column: 'latest.seq', order: 'desc' },
              ]
            : [{ column: 'latest.seq', order: 'desc' }],
        )
        .limit(1, { skipBinding: true });
      return (
        answer === 'seq'
          ? latestSeq
          : db('deployments as answered')
              .select(`answered.${answer}`)
              .where('answered.seq', latestSeq)
      ).as(name);
    },
  );
  return db
    .select(
      db.raw('k.column1 as entity_ref'),
      db.raw('k.column2 as environment'),
      ...columns,
    )
    .from(
      db.raw(
        `(VALUES ${keys.map(() => '(?, ?)').join(', ')}) AS k`,
        keys.flatMap(key => [key.entityRef, key.environment]),
      ),
    );
}
