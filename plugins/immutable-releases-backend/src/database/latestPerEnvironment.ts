import { Knex } from 'knex';
import { EnvironmentKey } from './DeploymentStore';

/**
 * The latest deployment per environment, for many environments in one
 * statement: each key is a row of a VALUES list (columns `column1` and
 * `column2` on SQLite and PostgreSQL alike) and its latest `seq` is a
 * correlated `ORDER BY … LIMIT 1`, which an index on the environment reads
 * from its end. A window function over the history would read all of it.
 */
export function latestSeqPerEnvironment(
  db: Knex,
  keys: EnvironmentKey[],
  latest: {
    statuses: string[];
    /** `updated`: the latest to finish; `seq`: the latest requested. */
    order: 'updated' | 'seq';
  },
) {
  const latestSeq = db('deployments as latest')
    .select('latest.seq')
    .whereRaw('latest.entity_ref = k.column1')
    .whereRaw('latest.environment = k.column2')
    .whereIn('latest.status', latest.statuses)
    .orderBy(
      latest.order === 'updated'
        ? [
            { column: 'latest.updated_at', order: 'desc' },
            { column: 'latest.seq', order: 'desc' },
          ]
        : [{ column: 'latest.seq', order: 'desc' }],
    )
    .limit(1);
  return db
    .select(
      db.raw('k.column1 as entity_ref'),
      db.raw('k.column2 as environment'),
      latestSeq.as('seq'),
    )
    .from(
      db.raw(
        `(VALUES ${keys.map(() => '(?, ?)').join(', ')}) AS k`,
        keys.flatMap(key => [key.entityRef, key.environment]),
      ),
    );
}
