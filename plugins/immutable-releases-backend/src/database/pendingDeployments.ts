import { Knex } from 'knex';
import { chunks } from './chunks';
import { EnvironmentKey, PendingDeployment } from './DeploymentStore';
import {
  DeploymentRow,
  selectDeployments,
  toDeployments,
  whereStatusIn,
} from './deploymentRows';
import { environmentKeyId } from './ObservationStore';
import { prepared } from './postgresStatements';

/** Environments per statement of `listPendingIn`, far under the bound-parameter limits. */
const KEYS_PER_STATEMENT = 500;

/** Pending deployments with the pipeline each was requested under, oldest first. */
function selectPending(db: Knex) {
  return whereStatusIn(selectDeployments(db).select('d.pipeline'), 'd.status', [
    'pending',
  ]).orderBy('d.seq', 'asc');
}

function toPendingDeployments(rows: DeploymentRow[]): PendingDeployment[] {
  return toDeployments(rows).map((deployment, index) => ({
    ...deployment,
    pipeline: rows[index].pipeline!,
  }));
}

/** The pending deployments of one environment, oldest first. */
export async function listPending(
  db: Knex,
  key: EnvironmentKey,
): Promise<PendingDeployment[]> {
  return toPendingDeployments(
    await prepared(
      selectPending(db).where({
        'd.entity_ref': key.entityRef,
        'd.environment': key.environment,
      }),
    ),
  );
}

/**
 * The pending deployments of many environments, oldest first in each,
 * keyed by `environmentKeyId`: one statement per 500 environments.
 */
export async function listPendingIn(
  db: Knex,
  keys: EnvironmentKey[],
): Promise<Map<string, PendingDeployment[]>> {
  const result = new Map<string, PendingDeployment[]>();
  for (const chunk of chunks(keys, KEYS_PER_STATEMENT)) {
    const wanted = new Set(chunk.map(environmentKeyId));
    // An `IN` per column reads each environment's own by index (see
    // `describeEnvironments`); the pairs not asked for are dropped here.
    const rows = await selectPending(db)
      .whereIn('d.entity_ref', [...new Set(chunk.map(k => k.entityRef))])
      .whereIn('d.environment', [...new Set(chunk.map(k => k.environment))]);
    for (const deployment of toPendingDeployments(rows)) {
      const id = environmentKeyId(deployment);
      if (!wanted.has(id)) {
        continue;
      }
      const ofEnvironment = result.get(id);
      if (ofEnvironment) {
        ofEnvironment.push(deployment);
      } else {
        result.set(id, [deployment]);
      }
    }
  }
  return result;
}
