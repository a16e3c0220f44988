import { Knex } from 'knex';
import { EnvironmentDeployments, EnvironmentKey } from './DeploymentStore';
import {
  DeploymentRow,
  selectDeployments,
  STARTED_STATUSES,
  toDeployments,
} from './deploymentRows';
import { latestSeqsPerEnvironment } from './latestPerEnvironment';
import { environmentKeyId } from './ObservationStore';

/**
 * What the environments view shows of each environment: the current
 * deployment (the latest to succeed), the latest started one and the pending
 * ones, keyed by `environmentKeyId`. Every key has an entry.
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
  const [latest, pendingRows] = await Promise.all([
    latestSeqsPerEnvironment(db, keys, {
      current: { statuses: ['succeeded'], order: 'updated' },
      started: { statuses: STARTED_STATUSES, order: 'seq' },
    }) as Promise<Array<{ current: number | null; started: number | null }>>,
    // With the pairs as a row-value `IN`, SQLite read every pending
    // deployment by status (10,000 of a fleet waiting for approvals); with
    // an `IN` per column it reads only the environments' own, by index. The
    // pairs the keys do not name are dropped below.
    db('deployments')
      .select('seq', 'entity_ref', 'environment')
      .whereIn('entity_ref', [...new Set(keys.map(key => key.entityRef))])
      .whereIn('environment', [...new Set(keys.map(key => key.environment))])
      .where('status', 'pending') as Promise<
      Array<{ seq: number } & Pick<DeploymentRow, 'entity_ref' | 'environment'>>
    >,
  ]);
  const pendingSeqs = pendingRows
    .filter(row =>
      result.has(
        environmentKeyId({
          entityRef: row.entity_ref,
          environment: row.environment,
        }),
      ),
    )
    .map(row => row.seq);
  const seqsOf = (seqs: Array<number | null>) =>
    new Set(seqs.flatMap(seq => (seq === null ? [] : [Number(seq)])));
  const currentSeqs = seqsOf(latest.map(row => row.current));
  const startedSeqs = seqsOf(latest.map(row => row.started));
  // The current deployment is usually also the latest started one: one
  // set, so no seq is asked for twice.
  const seqs = [...seqsOf([...currentSeqs, ...startedSeqs, ...pendingSeqs])];
  const rows: DeploymentRow[] = await selectDeployments(db)
    .whereIn('d.seq', seqs)
    .orderBy('d.seq', 'asc');
  const deployments = toDeployments(rows);
  deployments.forEach((deployment, index) => {
    const environment = result.get(environmentKeyId(deployment))!;
    const seq = Number(rows[index].seq);
    if (currentSeqs.has(seq)) {
      environment.current = deployment;
    }
    if (startedSeqs.has(seq)) {
      environment.latestStarted = deployment;
    }
    if (deployment.status === 'pending') {
      environment.pending.push(deployment);
    }
  });
  return result;
}
