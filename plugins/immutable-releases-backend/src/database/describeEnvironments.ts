import { Knex } from 'knex';
import { EnvironmentDeployments, EnvironmentKey } from './DeploymentStore';
import {
  DeploymentRow,
  selectDeployments,
  STARTED_STATUSES,
  toDeployments,
  whereStatusIn,
} from './deploymentRows';
import {
  KeyLists,
  keyListsOf,
  keysOf,
  LatestDeployment,
  latestPerEnvironment,
} from './latestPerEnvironment';
import { environmentKeyId } from './ObservationStore';
import { prepared } from './postgresStatements';
import { compiledOnce } from './compiledStatements';

/** The latest succeeded deployment: the one that finished last. */
const CURRENT: LatestDeployment = { statuses: ['succeeded'], order: 'updated' };
/** The latest started deployment: the one requested last. */
const LATEST_STARTED: LatestDeployment = {
  statuses: STARTED_STATUSES,
  order: 'seq',
};

/**
 * The statement of `describeEnvironments`, for the keys given as two lists
 * (`entityRefs[i]`, `environments[i]`).
 */
const environmentsStatement = compiledOnce<
  KeyLists & {
    distinctEntityRefs: string[];
    distinctEnvironments: string[];
  },
  DeploymentRow[]
>((db, params) => {
  const keys = keysOf(params);
  const latestSeqs = (name: string, latest: LatestDeployment) =>
    db
      .select(`${name}.seq`)
      .from(latestPerEnvironment(db, keys, { seq: latest }).as(name));
  // With the pairs as a row-value `IN`, SQLite read every pending
  // deployment by status (10,000 of a fleet waiting for approvals); with an
  // `IN` per column it reads only the environments' own, by index. The
  // pairs the keys do not name are dropped below.
  const pendingSeqs = whereStatusIn(
    db('deployments as p')
      .select('p.seq')
      .whereIn('p.entity_ref', params.distinctEntityRefs)
      .whereIn('p.environment', params.distinctEnvironments),
    'p.status',
    ['pending'],
  );
  return prepared(
    selectDeployments(db)
      .whereIn(
        'd.seq',
        latestSeqs('current', CURRENT).unionAll([
          latestSeqs('started', LATEST_STARTED),
          pendingSeqs,
        ]),
      )
      .orderBy('d.seq', 'asc'),
  );
});

/**
 * What the environments view shows of each environment: the current
 * deployment (the latest to succeed), the latest started one and the pending
 * ones, keyed by `environmentKeyId`. Every key has an entry.
 *
 * One statement: the deployments whose `seq` is one of each environment's
 * latest two or a pending one. Which is which is decided here from the rows,
 * in the order the statement's subqueries used: the latest of each kind is
 * among them, and every other row of the kind comes before it.
 */
export async function describeEnvironments(
  db: Knex,
  keys: EnvironmentKey[],
): Promise<Map<string, EnvironmentDeployments>> {
  const result = new Map<string, EnvironmentDeployments>(
    keys.map(key => [environmentKeyId(key), { pending: [] }]),
  );
  if (keys.length === 0) {
    return result;
  }
  const rows = await environmentsStatement(db, {
    ...keyListsOf(keys),
    distinctEntityRefs: [...new Set(keys.map(key => key.entityRef))],
    distinctEnvironments: [...new Set(keys.map(key => key.environment))],
  });
  const deployments = toDeployments(rows);
  deployments.forEach((deployment, index) => {
    const environment = result.get(environmentKeyId(deployment));
    if (!environment) {
      return;
    }
    const row = rows[index];
    if (deployment.status === 'pending') {
      environment.pending.push(deployment);
    }
    if (STARTED_STATUSES.includes(deployment.status)) {
      // Rows come in `seq` order: the last started one is the latest.
      environment.latestStarted = deployment;
    }
    if (
      deployment.status === 'succeeded' &&
      (!environment.current || row.updated_at >= environment.current.updatedAt)
    ) {
      // Of equal `updated_at`, the later `seq` (this row) wins.
      environment.current = deployment;
    }
  });
  return result;
}
