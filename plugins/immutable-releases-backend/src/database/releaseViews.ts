import { Knex } from 'knex';
import { Release } from 'backstage-plugin-immutable-releases-common';
import { chunks } from './chunks';
import { JsonText } from './jsonColumns';
import { AttachedReleaseRow, toAttachedRelease } from './releaseRows';

/**
 * The shape of a stored view: a release as `toAttachedRelease` made it when
 * the view was written. Raise it whenever what that answers changes, and
 * every view written before is read as stale and made again.
 */
export const RELEASE_VIEW_FORMAT = 1;

/** A release's position, its view (null where stale) and what made it stale. */
export interface ViewRow {
  seq: number;
  id: string;
  body: JsonText<Release> | null;
  /** The view's revision when read; null when the release has no view row. */
  revision: number | null;
  /** The `seq`s of the changes recorded since the view was written, comma-separated. */
  changes: string | null;
}

/**
 * Selects from a query of `releases as r` each release's `ViewRow`.
 *
 * A view is stale when it was written in another format, or when its
 * release changed since: every change to what the view shows (a check,
 * revocation or attestation recorded, a deployment requested or its status
 * changed) appends a row to `release_view_changes`, by trigger, in the
 * transaction of the change. Writers never wait for a view.
 */
export function selectViews(db: Knex, query: Knex.QueryBuilder) {
  const changeSeqs =
    db.client.dialect === 'postgresql'
      ? `string_agg(c.seq::text, ',')`
      : `group_concat(c.seq)`;
  return query.leftJoin('release_views as v', 'v.release_id', 'r.id').select(
    'r.seq',
    'r.id',
    'v.revision',
    db.raw('CASE WHEN v.format = ? THEN v.body END as body', [
      RELEASE_VIEW_FORMAT,
    ]),
    db.raw(`(SELECT ${changeSeqs} FROM release_view_changes c
        WHERE c.release_id = r.id) as changes`),
  );
}

/**
 * The views of the rows: a fresh view as it is stored, a stale one made
 * from its release read with its attachments (`readAttached`, one statement
 * for all, after the rows were read) and written back.
 */
export async function completeViews(
  db: Knex,
  rows: ViewRow[],
  readAttached: (releaseIds: string[]) => Promise<AttachedReleaseRow[]>,
): Promise<Array<JsonText<Release>>> {
  const stale = rows.filter(row => row.body === null || row.changes !== null);
  if (stale.length === 0) {
    return rows.map(row => row.body!);
  }
  const made = new Map<string, JsonText<Release>>();
  for (const row of await readAttached(stale.map(({ id }) => id))) {
    made.set(row.id, JSON.stringify(toAttachedRelease(row)));
  }
  await db.transaction(async tx => {
    for (const row of stale) {
      await storeView(tx, row, made.get(row.id)!);
    }
  });
  return rows.map(row => made.get(row.id) ?? row.body!);
}

/**
 * Writes a view made after `row` was read, and deletes the changes `row`
 * saw, which the view shows. Changes recorded after `row` was read stay,
 * and keep the view stale. Only if no other reader wrote the view since
 * `row` was read (its revision is the same): a view made from an older
 * state must not replace one made from a newer.
 */
export async function storeView(
  db: Knex,
  row: Pick<ViewRow, 'id' | 'revision' | 'changes'>,
  json: JsonText<Release>,
): Promise<void> {
  if (row.revision === null) {
    return;
  }
  const written = await db('release_views')
    .where({ release_id: row.id, revision: row.revision })
    .update({
      revision: Number(row.revision) + 1,
      format: RELEASE_VIEW_FORMAT,
      body: json,
    });
  if (written === 1 && row.changes !== null) {
    for (const seqs of chunks(row.changes.split(',').map(Number), 500)) {
      await db('release_view_changes').whereIn('seq', seqs).delete();
    }
  }
}
