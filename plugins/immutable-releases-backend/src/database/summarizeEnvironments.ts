import { Knex } from 'knex';
import { chunks } from './chunks';
import { EnvironmentKey } from './DeploymentStore';
import {
  currentReleasePerEnvironment,
  KeyLists,
  keyListsOf,
} from './latestPerEnvironment';
import { environmentKeyId } from './ObservationStore';
import { compiledOnce } from './compiledStatements';
import { whereStatusIn } from './deploymentRows';
import { prepared } from './postgresStatements';

/** Keys per statement: two bound parameters each on SQLite. */
const CHUNK = 400;

/** What a row of the fleet shows of one environment. */
export interface EnvironmentSummary {
  /** The release of the latest succeeded deployment, if any. */
  current: { id: string; version: string; digest: string } | null;
  pendingCount: number;
}

type Row = {
  entity_ref: string;
  environment: string;
  pending_count: number | string;
  release_id: string | null;
  version: string | null;
  artifact_digest: string | null;
};

/** The statement of `summarizeEnvironments`: on PostgreSQL one prepared statement for any number of keys. */
const summaryStatement = compiledOnce<KeyLists, Row[]>((db, keys) => {
  const latest = currentReleasePerEnvironment(db, keys).select(
    whereStatusIn(
      db('deployments as p')
        .count('*')
        .whereRaw('p.entity_ref = k.column1')
        .whereRaw('p.environment = k.column2'),
      'p.status',
      ['pending'],
    ).as('pending_count'),
  );
  return prepared(
    db
      .from(latest.as('e'))
      .leftJoin('releases as r', 'r.id', 'e.current')
      .select(
        'e.entity_ref',
        'e.environment',
        'e.pending_count',
        'r.id as release_id',
        'r.version',
        'r.artifact_digest',
      ),
  );
});

/**
 * Each environment's current release and the number of its pending
 * deployments, in one statement per chunk of environments: the release of
 * the latest succeeded deployment and the pending count are correlated
 * subqueries on the (entity_ref, environment, status, updated_at, seq) index,
 * joined with the release — one deployment row is read per environment.
 */
export async function summarizeEnvironments(
  db: Knex,
  keys: EnvironmentKey[],
): Promise<Map<string, EnvironmentSummary>> {
  const summaries = new Map<string, EnvironmentSummary>(
    keys.map(key => [
      environmentKeyId(key),
      { current: null, pendingCount: 0 },
    ]),
  );
  for (const chunk of chunks(keys, CHUNK)) {
    const rows = await summaryStatement(db, keyListsOf(chunk));
    for (const row of rows) {
      summaries.set(
        environmentKeyId({
          entityRef: row.entity_ref,
          environment: row.environment,
        }),
        {
          current:
            row.release_id === null
              ? null
              : {
                  id: row.release_id,
                  version: row.version!,
                  digest: row.artifact_digest!,
                },
          pendingCount: Number(row.pending_count),
        },
      );
    }
  }
  return summaries;
}
