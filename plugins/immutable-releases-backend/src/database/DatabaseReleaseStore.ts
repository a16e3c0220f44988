import { Knex } from 'knex';
import {
  Page,
  Release,
  ReleaseAttestation,
  ReleaseCheck,
  ReleaseRevocation,
} from 'backstage-plugin-immutable-releases-common';
import {
  addAttestations,
  attestationsOfRelease,
  listAttestations,
} from './attestationRows';
import { chunks } from './chunks';
import { isUniqueViolation } from './errors';
import {
  CHECK_COLUMNS,
  CheckRow,
  DEPLOYMENT_SUMMARY_COLUMNS,
  JoinedRevocationColumns,
  RELEASE_COLUMNS,
  ReleaseRow,
  RevocationRow,
  toAttachedRelease,
  toCheck,
  toCheckRow,
  toRelease,
  toReleaseRow,
  toJoinedRevocation,
  toRevocation,
} from './releaseRows';
import { jsonArrayOf, JsonText } from './jsonColumns';
import { prepared } from './postgresStatements';
import { completeViews, selectViews, ViewRow } from './releaseViews';
import {
  fetchPage,
  PageBounds,
  PageRequest,
  whereEntityInSeqOrder,
  withinPage,
} from './pagination';
import { compiledOnce } from './compiledStatements';
import {
  byCheckName,
  NewAttestation,
  NewCheck,
  NewRelease,
  ReleaseStore,
  StoredAttestation,
  toReleaseCheck,
} from './ReleaseStore';

/** The views a page of an entity's releases reads (of one version, when given). */
const pageOfViews = compiledOnce<
  PageBounds & { entityRef: string; version?: string },
  ViewRow[]
>((db, { entityRef, version, ...bounds }) => {
  const query = selectViews(db, db('releases as r'));
  if (version !== undefined) {
    query.where({ 'r.entity_ref': entityRef, 'r.version': version });
  } else {
    whereEntityInSeqOrder(db, query, 'r.entity_ref', entityRef);
  }
  return prepared(withinPage(query, bounds, 'r.seq'));
});

/** A release with its revocation, read before every promotion: prepared, with its columns named. */
const releaseWithRevocation = compiledOnce<
  { releaseId: string },
  (ReleaseRow & JoinedRevocationColumns) | undefined
>((db, { releaseId }) =>
  prepared(
    db('releases as r')
      .leftJoin('release_revocations as rv', 'rv.release_id', 'r.id')
      .select(
        ...RELEASE_COLUMNS.map(column => `r.${column}`),
        'rv.reason',
        'rv.revoked_at',
        'rv.revoked_by',
      )
      .where('r.id', releaseId)
      .first(),
  ),
);

export class DatabaseReleaseStore implements ReleaseStore {
  constructor(private readonly db: Knex) {}

  async insertRelease(release: NewRelease): Promise<'inserted' | 'conflict'> {
    try {
      await this.db('releases').insert(toReleaseRow(release));
      return 'inserted';
    } catch (error) {
      if (isUniqueViolation(error)) {
        return 'conflict';
      }
      throw error;
    }
  }

  async insertReleases(releases: NewRelease[]): Promise<void> {
    // 500 rows of 11 values stay under the bound-parameter limits of SQLite and PostgreSQL.
    for (const chunk of chunks(releases, 500)) {
      await this.db('releases').insert(chunk.map(toReleaseRow));
    }
  }

  async getRelease(releaseId: string): Promise<Release | undefined> {
    const row = await this.db<ReleaseRow>('releases')
      .where({ id: releaseId })
      .first();
    return row ? toRelease(row) : undefined;
  }

  async getReleaseAndRevocation(releaseId: string) {
    const row = await releaseWithRevocation(this.db, { releaseId });
    return row
      ? { release: toRelease(row), revocation: toJoinedRevocation(row) }
      : undefined;
  }

  async getReleaseWithAttachments(
    releaseId: string,
  ): Promise<Release | undefined> {
    const row = await this.selectWithAttachments()
      .where('r.id', releaseId)
      .first();
    return row ? toAttachedRelease(row) : undefined;
  }

  async getReleases(releaseIds: string[]): Promise<Map<string, Release>> {
    const unique = [...new Set(releaseIds)];
    const rows = unique.length
      ? await this.db<ReleaseRow>('releases').whereIn('id', unique)
      : [];
    return new Map(rows.map(row => [row.id, toRelease(row)]));
  }

  async getReleaseByVersion(
    entityRef: string,
    version: string,
  ): Promise<Release | undefined> {
    const row = await this.db<ReleaseRow>('releases')
      .where({ entity_ref: entityRef, version })
      .first();
    return row ? toRelease(row) : undefined;
  }

  async listEntitiesWithReleases(options: {
    after?: string;
    limit: number;
  }): Promise<string[]> {
    // One index probe per entity ("loose index scan"): a plain DISTINCT
    // would read every release of every entity it passes.
    const { rows } = await this.db
      .raw(
        `WITH RECURSIVE entities(entity_ref, n) AS (
          SELECT (SELECT entity_ref FROM releases WHERE entity_ref > ?
                  ORDER BY entity_ref LIMIT 1), 1
          UNION ALL
          SELECT (SELECT entity_ref FROM releases WHERE entity_ref > e.entity_ref
                  ORDER BY entity_ref LIMIT 1), e.n + 1
          FROM entities e WHERE e.entity_ref IS NOT NULL AND e.n < ?
        )
        SELECT entity_ref FROM entities WHERE entity_ref IS NOT NULL`,
        [options.after ?? '', options.limit],
      )
      .then((result: unknown) => ({
        rows: (Array.isArray(result)
          ? result
          : (result as { rows: unknown[] }).rows) as Array<{
          entity_ref: string;
        }>,
      }));
    return rows.map(row => row.entity_ref);
  }

  async listReleasesAsJson(
    entityRef: string,
    page: PageRequest & { version?: string },
  ): Promise<Page<JsonText<Release>>> {
    return fetchPage<ViewRow, JsonText<Release>>(
      bounds =>
        pageOfViews(this.db, { entityRef, version: page.version, ...bounds }),
      page,
      rows =>
        completeViews(this.db, rows, releaseIds =>
          this.selectWithAttachments().whereIn('r.id', releaseIds),
        ),
    );
  }

  /**
   * Releases with their latest check per name, revocation and latest
   * deployment per environment, in one statement: each attachment is a
   * correlated subquery, evaluated only for the rows the query returns, that
   * the (release_id, name, seq) and (release_id, seq) indexes answer.
   */
  private selectWithAttachments(): Knex.QueryBuilder {
    const db = this.db;
    const checks = `(SELECT ${jsonArrayOf(db, 'c', CHECK_COLUMNS)}
      FROM release_checks c
      WHERE c.release_id = r.id AND NOT EXISTS (
        SELECT 1 FROM release_checks later
        WHERE later.release_id = c.release_id AND later.name = c.name
          AND later.seq > c.seq))`;
    const deployments = `(SELECT ${jsonArrayOf(
      db,
      'd',
      DEPLOYMENT_SUMMARY_COLUMNS,
    )}
      FROM deployments d
      WHERE d.release_id = r.id AND NOT EXISTS (
        SELECT 1 FROM deployments later
        WHERE later.release_id = d.release_id
          AND later.environment = d.environment AND later.seq > d.seq))`;
    return db('releases as r')
      .leftJoin('release_revocations as rv', 'rv.release_id', 'r.id')
      .select(
        'r.*',
        'rv.reason',
        'rv.revoked_at',
        'rv.revoked_by',
        db.raw(`${checks} as checks`),
        db.raw(`${deployments} as deployments`),
        db.raw(`${attestationsOfRelease(db)} as attestations`),
      );
  }

  async findReleasesByDigest(
    entityRef: string,
    digest: string,
  ): Promise<Release[]> {
    const rows = await this.db<ReleaseRow>('releases')
      .where({ entity_ref: entityRef, artifact_digest: digest })
      .orderBy('seq', 'desc');
    return rows.map(toRelease);
  }

  async addCheck(releaseId: string, check: NewCheck): Promise<ReleaseCheck> {
    await this.db('release_checks').insert(toCheckRow(releaseId, check));
    return toReleaseCheck(check);
  }

  async addChecks(releaseId: string, checks: NewCheck[]): Promise<void> {
    // Rows of one multi-row insert get their sequence numbers in list order.
    // The API takes at most 100 checks with a release.
    if (checks.length > 0) {
      await this.db('release_checks').insert(
        checks.map(check => toCheckRow(releaseId, check)),
      );
    }
  }

  async latestChecks(
    releaseIds: string[],
  ): Promise<Map<string, ReleaseCheck[]>> {
    const result = new Map<string, ReleaseCheck[]>();
    if (releaseIds.length === 0) {
      return result;
    }
    const latestSeqPerName = this.db('release_checks')
      .max('seq')
      .whereIn('release_id', releaseIds)
      .groupBy('release_id', 'name');
    const rows = await this.db<CheckRow>('release_checks').whereIn(
      'seq',
      latestSeqPerName,
    );
    for (const row of rows.sort(byCheckName)) {
      const checks = result.get(row.release_id) ?? [];
      checks.push(toCheck(row));
      result.set(row.release_id, checks);
    }
    return result;
  }

  addAttestations(
    releaseId: string,
    attestations: NewAttestation[],
  ): Promise<ReleaseAttestation[]> {
    return addAttestations(this.db, releaseId, attestations);
  }

  listAttestations(releaseId: string): Promise<StoredAttestation[]> {
    return listAttestations(this.db, releaseId);
  }

  async revoke(
    releaseId: string,
    revocation: ReleaseRevocation,
  ): Promise<'revoked' | 'already-revoked'> {
    try {
      await this.db('release_revocations').insert({
        release_id: releaseId,
        reason: revocation.reason,
        revoked_at: revocation.revokedAt,
        revoked_by: revocation.revokedBy,
      });
      return 'revoked';
    } catch (error) {
      if (isUniqueViolation(error)) {
        return 'already-revoked';
      }
      throw error;
    }
  }

  async revocations(
    releaseIds: string[],
  ): Promise<Map<string, ReleaseRevocation>> {
    const rows = releaseIds.length
      ? await this.db<RevocationRow>('release_revocations').whereIn(
          'release_id',
          releaseIds,
        )
      : [];
    return new Map(rows.map(row => [row.release_id, toRevocation(row)]));
  }
}
