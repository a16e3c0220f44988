import { Knex } from 'knex';
import { chunks } from './chunks';
import {
  DRIFT_STATE_COLUMNS,
  DriftStateRow,
  toDriftState,
} from './driftStateRows';
import {
  DriftState,
  entityDigestId,
  environmentKeyId,
  ReleaseWithDigest,
} from './ObservationStore';
import { prepared, whereAnyOf } from './postgresStatements';
import { compiledOnce } from './compiledStatements';

/** Entities per statement: well under the databases' bound-parameter limits. */
const CHUNK = 500;

type Row = DriftStateRow & {
  release_id: string | null;
  release_version: string | null;
  release_seq: number | null;
  revoked_at: string | null;
};

const statesWithObservedReleases = compiledOnce<
  { entityRefs: string[] },
  Row[]
>((db, { entityRefs }) => {
  const query = db('drift_states as s')
    .leftJoin('releases as r', join =>
      join
        .on('r.entity_ref', 's.entity_ref')
        .andOn('r.artifact_digest', 's.observed_digest'),
    )
    .leftJoin('release_revocations as v', 'v.release_id', 'r.id')
    .select(
      ...DRIFT_STATE_COLUMNS.map(column => `s.${column}`),
      'r.id as release_id',
      'r.version as release_version',
      'r.seq as release_seq',
      'v.revoked_at',
    );
  return prepared(whereAnyOf(query, 's.entity_ref', entityRefs));
});

/**
 * The drift states of every environment of the entities, each joined with
 * the entity's releases of the observed digest (the newest one wins), in one
 * statement per chunk of entities: `entity_ref IN (…)` walks the primary key
 * of `drift_states` and the (entity_ref, artifact_digest) index of `releases`.
 */
export async function driftStatesOfEntities(
  db: Knex,
  entityRefs: string[],
): Promise<{
  states: Map<string, DriftState>;
  observedReleases: Map<string, ReleaseWithDigest>;
}> {
  const states = new Map<string, DriftState>();
  const observedReleases = new Map<string, ReleaseWithDigest>();
  const newestSeq = new Map<string, number>();
  const distinct = [...new Set(entityRefs)];
  for (const chunk of chunks(distinct, CHUNK)) {
    const rows = await statesWithObservedReleases(db, { entityRefs: chunk });
    for (const row of rows) {
      const state = toDriftState(row);
      states.set(environmentKeyId(state), state);
      if (row.release_id === null || state.observedDigest === null) {
        continue;
      }
      const id = entityDigestId(state.entityRef, state.observedDigest);
      const seq = Number(row.release_seq);
      if ((newestSeq.get(id) ?? -1) < seq) {
        newestSeq.set(id, seq);
        observedReleases.set(id, {
          entityRef: state.entityRef,
          digest: state.observedDigest,
          id: row.release_id,
          version: row.release_version!,
          revoked: row.revoked_at !== null,
        });
      }
    }
  }
  return { states, observedReleases };
}
