import { Knex } from 'knex';
import { DriftStatus } from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';
import { chunks } from './chunks';
import { DriftStateRow, toDriftState } from './driftStateRows';
import { driftStatesOfEntities } from './driftStatesOfEntities';
import {
  currentReleasePerEnvironment,
  KeyLists,
  keyListsOf,
} from './latestPerEnvironment';
import { compiledOnce } from './compiledStatements';
import { prepared } from './postgresStatements';
import {
  CurrentRelease,
  DriftState,
  entityDigestId,
  environmentKeyId,
  ObservationStore,
  ReleaseWithDigest,
  StoredObservation,
} from './ObservationStore';

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 200;

interface ObservationRow {
  entity_ref: string;
  environment: string;
  digest: string;
  source: string;
  observed_at: string;
  recorded_at: string;
  recorded_by: string;
  details: string | null;
}

const KNOWN_STATUSES: DriftStatus[] = ['in-sync', 'drifted', 'unmanaged'];

/** Each environment's current release: on PostgreSQL one prepared statement for any number of keys. */
const currentReleasesStatement = compiledOnce<
  KeyLists,
  Array<{
    entity_ref: string;
    environment: string;
    release_id: string;
    artifact_digest: string;
  }>
>((db, keys) => {
  const latest = currentReleasePerEnvironment(db, keys);
  return prepared(
    db
      .from(latest.as('latest'))
      .join('releases as r', 'r.id', 'latest.current')
      .select(
        'latest.entity_ref',
        'latest.environment',
        'r.id as release_id',
        'r.artifact_digest',
      ),
  );
});

export class DatabaseObservationStore implements ObservationStore {
  constructor(private readonly db: Knex) {}

  async appendObservations(
    observations: StoredObservation[],
    latest: StoredObservation[],
  ): Promise<void> {
    for (const chunk of chunks(observations, CHUNK)) {
      await this.db('observations').insert(
        chunk.map(o => ({
          entity_ref: o.entityRef,
          environment: o.environment,
          digest: o.digest,
          source: o.source,
          observed_at: o.observedAt,
          recorded_at: o.recordedAt,
          recorded_by: o.recordedBy,
          details: o.details && JSON.stringify(o.details),
        })),
      );
    }
    for (const chunk of chunks(latest, CHUNK)) {
      await this.db('drift_states')
        .insert(
          chunk.map(o => ({
            entity_ref: o.entityRef,
            environment: o.environment,
            observed_digest: o.digest,
            observed_at: o.observedAt,
            observed_source: o.source,
            observed_details: o.details && JSON.stringify(o.details),
          })),
        )
        .onConflict(['entity_ref', 'environment'])
        .merge([
          'observed_digest',
          'observed_at',
          'observed_source',
          'observed_details',
        ])
        // A late report of an older observation goes to the history only.
        .where(newer =>
          newer
            .whereNull('drift_states.observed_at')
            .orWhere(
              'drift_states.observed_at',
              '<=',
              this.db.ref('excluded.observed_at'),
            ),
        );
    }
  }

  async listObservations(
    key: EnvironmentKey,
    limit: number,
  ): Promise<StoredObservation[]> {
    const rows: ObservationRow[] = await this.db('observations')
      .where({ entity_ref: key.entityRef, environment: key.environment })
      .orderBy('seq', 'desc')
      .limit(limit);
    return rows.map(row => ({
      entityRef: row.entity_ref,
      environment: row.environment,
      digest: row.digest,
      source: row.source,
      observedAt: row.observed_at,
      recordedAt: row.recorded_at,
      recordedBy: row.recorded_by,
      details: row.details === null ? null : JSON.parse(row.details),
    }));
  }

  async recordError(
    key: EnvironmentKey,
    error: { message: string; at: string; source: string },
  ): Promise<void> {
    await this.db('drift_states')
      .insert({
        entity_ref: key.entityRef,
        environment: key.environment,
        error_message: error.message,
        error_at: error.at,
        error_source: error.source,
      })
      .onConflict(['entity_ref', 'environment'])
      .merge(['error_message', 'error_at', 'error_source']);
  }

  async getDriftStates(
    keys: EnvironmentKey[],
  ): Promise<Map<string, DriftState>> {
    const states = new Map<string, DriftState>();
    // Per environment, `entity_ref IN (…)`: both databases walk the primary
    // key for that, where a list of (entity, environment) pairs costs
    // PostgreSQL one index probe per pair.
    for (const [environment, entityRefs] of refsByEnvironment(keys)) {
      for (const chunk of chunks(entityRefs, CHUNK)) {
        const rows: DriftStateRow[] = await this.db('drift_states')
          .where('environment', environment)
          .whereIn('entity_ref', chunk);
        for (const row of rows) {
          states.set(
            environmentKeyId({
              entityRef: row.entity_ref,
              environment: row.environment,
            }),
            toDriftState(row),
          );
        }
      }
    }
    return states;
  }

  async getDriftStatesOfEntities(entityRefs: string[]) {
    return driftStatesOfEntities(this.db, entityRefs);
  }

  async changeDriftStatuses(
    changes: Array<EnvironmentKey & { from: DriftStatus; to: DriftStatus }>,
    at: string,
  ): Promise<EnvironmentKey[]> {
    const byTransition = new Map<string, typeof changes>();
    for (const change of changes) {
      const transition = `${change.from}>${change.to}`;
      byTransition.set(transition, [
        ...(byTransition.get(transition) ?? []),
        change,
      ]);
    }
    const changed: EnvironmentKey[] = [];
    for (const group of byTransition.values()) {
      const { from, to } = group[0];
      for (const chunk of chunks(group, CHUNK)) {
        const rows: Array<{ entity_ref: string; environment: string }> =
          await this.db('drift_states')
            .whereIn(
              ['entity_ref', 'environment'],
              chunk.map(c => [c.entityRef, c.environment]),
            )
            .where('status', from)
            .update({ status: to, status_changed_at: at })
            .returning(['entity_ref', 'environment']);
        changed.push(
          ...rows.map(row => ({
            entityRef: row.entity_ref,
            environment: row.environment,
          })),
        );
      }
    }
    return changed;
  }

  async listKnownDriftStates(
    limit: number,
    after?: EnvironmentKey,
  ): Promise<EnvironmentKey[]> {
    const query = this.db('drift_states')
      .select('entity_ref', 'environment')
      .whereIn('status', KNOWN_STATUSES)
      .orderBy([
        { column: 'entity_ref', order: 'asc' },
        { column: 'environment', order: 'asc' },
      ])
      .limit(limit);
    if (after) {
      query.where(later =>
        later
          .where('entity_ref', '>', after.entityRef)
          .orWhere(sameEntity =>
            sameEntity
              .where('entity_ref', after.entityRef)
              .where('environment', '>', after.environment),
          ),
      );
    }
    const rows: Array<{ entity_ref: string; environment: string }> =
      await query;
    return rows.map(row => ({
      entityRef: row.entity_ref,
      environment: row.environment,
    }));
  }

  async currentReleases(
    keys: EnvironmentKey[],
  ): Promise<Map<string, CurrentRelease>> {
    const current = new Map<string, CurrentRelease>();
    for (const chunk of chunks(distinctKeys(keys), CHUNK)) {
      const rows = await currentReleasesStatement(this.db, keyListsOf(chunk));
      for (const row of rows) {
        current.set(
          environmentKeyId({
            entityRef: row.entity_ref,
            environment: row.environment,
          }),
          { releaseId: row.release_id, digest: row.artifact_digest },
        );
      }
    }
    return current;
  }

  async releasesWithDigests(
    pairs: Array<{ entityRef: string; digest: string }>,
  ): Promise<Map<string, ReleaseWithDigest>> {
    const found = new Map<string, ReleaseWithDigest>();
    const distinct = [
      ...new Map(
        pairs.map(p => [entityDigestId(p.entityRef, p.digest), p]),
      ).values(),
    ];
    for (const chunk of chunks(distinct, CHUNK)) {
      const rows: Array<{
        entity_ref: string;
        artifact_digest: string;
        id: string;
        version: string;
        revoked_at: string | null;
      }> = await this.db('releases as r')
        .leftJoin('release_revocations as v', 'v.release_id', 'r.id')
        .select(
          'r.entity_ref',
          'r.artifact_digest',
          'r.id',
          'r.version',
          'v.revoked_at',
        )
        // Two plain lists walk the (entity_ref, artifact_digest) index where
        // a list of pairs costs PostgreSQL one probe per pair; the rows of
        // other pairs the lists also match are skipped below.
        .whereIn('r.entity_ref', [...new Set(chunk.map(p => p.entityRef))])
        .whereIn('r.artifact_digest', [...new Set(chunk.map(p => p.digest))])
        .orderBy('r.seq', 'desc');
      const wanted = new Set(
        chunk.map(p => entityDigestId(p.entityRef, p.digest)),
      );
      for (const row of rows) {
        const id = entityDigestId(row.entity_ref, row.artifact_digest);
        if (wanted.has(id) && !found.has(id)) {
          found.set(id, {
            entityRef: row.entity_ref,
            digest: row.artifact_digest,
            id: row.id,
            version: row.version,
            revoked: row.revoked_at !== null,
          });
        }
      }
    }
    return found;
  }

  async artifactUris(entityRefs: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    for (const chunk of chunks([...new Set(entityRefs)], CHUNK)) {
      const rows = (await this.db('releases')
        .select('entity_ref', 'artifact_uri')
        .max('seq as newest')
        .whereIn('entity_ref', chunk)
        .groupBy('entity_ref', 'artifact_uri')
        .orderBy('newest', 'desc')) as Array<{
        entity_ref: string;
        artifact_uri: string;
      }>;
      for (const row of rows) {
        found.set(row.entity_ref, [
          ...(found.get(row.entity_ref) ?? []),
          row.artifact_uri,
        ]);
      }
    }
    return found;
  }

  async listEntitiesWithReleases(): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await this.db('releases')
      .distinct('entity_ref')
      .orderBy('entity_ref');
    return rows.map(row => row.entity_ref);
  }
}

/** The distinct entity refs of the keys, per environment. */
function refsByEnvironment(keys: EnvironmentKey[]): Map<string, string[]> {
  const refs = new Map<string, Set<string>>();
  for (const { entityRef, environment } of keys) {
    if (!refs.has(environment)) {
      refs.set(environment, new Set());
    }
    refs.get(environment)!.add(entityRef);
  }
  return new Map(
    [...refs].map(([environment, set]) => [environment, [...set]]),
  );
}

function distinctKeys(keys: EnvironmentKey[]): EnvironmentKey[] {
  return [...new Map(keys.map(k => [environmentKeyId(k), k])).values()];
}
