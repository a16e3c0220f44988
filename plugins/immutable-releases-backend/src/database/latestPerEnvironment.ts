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
 * How the keys reach the statement: a row of a VALUES list each, or on
 * PostgreSQL two arrays (`unnest`), one statement text however many keys
 * there are. Arrays suit a prepared statement of many keys (a fleet page):
 * PostgreSQL then keeps one generic plan for it instead of planning each run.
 * A statement of a few keys keeps its rows: its generic plan, made for an
 * array of unknown length, would be estimated costlier than planning anew.
 */
export type KeysAs = 'rows' | 'arrays';

/**
 * The latest deployments per environment, for many environments in one
 * statement: each key is a row of the keys (columns `column1` and `column2`
 * on SQLite and PostgreSQL alike) and each latest `seq` is a correlated
 * `ORDER BY … LIMIT 1`, which an index on the environment reads from its
 * end. A window function over the history would read all of it.
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
  keysAs: KeysAs = 'rows',
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
    .from(keysTable(db, keys, keysAs));
}

function keysTable(db: Knex, keys: EnvironmentKey[], keysAs: KeysAs) {
  if (keysAs === 'arrays' && db.client.dialect === 'postgresql') {
    return db.raw('unnest(?::text[], ?::text[]) AS k(column1, column2)', [
      keys.map(key => key.entityRef),
      keys.map(key => key.environment),
    ]);
  }
  return db.raw(
    `(VALUES ${keys.map(() => '(?, ?)').join(', ')}) AS k`,
    keys.flatMap(key => [key.entityRef, key.environment]),
  );
}

/** Environment keys as two lists (`entityRefs[i]`, `environments[i]`): the form compiled statements take them in. */
export type KeyLists = {
  entityRefs: string[];
  environments: string[];
};

export function keyListsOf(keys: EnvironmentKey[]): KeyLists {
  return {
    entityRefs: keys.map(key => key.entityRef),
    environments: keys.map(key => key.environment),
  };
}

/** The keys that `keyListsOf` made the lists of. */
export function keysOf({
  entityRefs,
  environments,
}: KeyLists): EnvironmentKey[] {
  return entityRefs.map((entityRef, index) => ({
    entityRef,
    environment: environments[index],
  }));
}

/**
 * For many keys (on PostgreSQL as arrays, see `KeysAs`): the release id of
 * each environment's latest succeeded deployment, the one that finished
 * last (the order of `DeploymentStore.listSucceeded`), in column `current`.
 */
export function currentReleasePerEnvironment(db: Knex, lists: KeyLists) {
  return latestPerEnvironment(
    db,
    keysOf(lists),
    {
      current: {
        statuses: ['succeeded'],
        order: 'updated',
        answer: 'release_id',
      },
    },
    'arrays',
  );
}
