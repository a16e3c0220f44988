import { Knex } from 'knex';
import { ReleaseSelection } from './ReleaseStore';

/** What `whereIn('release_id', …)` takes for a selection: the ids, or a subquery. */
export function releaseIdsOf(
  db: Knex,
  releases: ReleaseSelection,
): string[] | Knex.QueryBuilder {
  if (Array.isArray(releases)) {
    return releases;
  }
  const page = db('releases')
    .select('id')
    .where('entity_ref', releases.entityRef)
    .orderBy('seq', 'desc')
    .limit(releases.limit);
  if (releases.beforeSeq !== undefined) {
    page.where('seq', '<', releases.beforeSeq);
  }
  return page;
}

/** Whether the selection is certainly empty (then no query is needed). */
export function isEmptySelection(releases: ReleaseSelection): boolean {
  return Array.isArray(releases) && releases.length === 0;
}
