import { Knex } from 'knex';
import { Page } from 'backstage-plugin-immutable-releases-common';
import { InputError } from '@backstage/errors';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** A keyset page request: `cursor` is the opaque position after the last item seen. */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** Cursors wrap the `seq` of the last item of a page; clients treat them as opaque. */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ seq }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  try {
    const { seq } = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (Number.isSafeInteger(seq) && seq > 0) {
      return seq;
    }
  } catch {
    // fall through to the InputError below
  }
  throw new InputError('cursor is not a cursor this API returned');
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) {
    return DEFAULT_PAGE_LIMIT;
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InputError(
      `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${limit}`,
    );
  }
  return limit;
}

/**
 * Runs `query` (newest first by `seqColumn`, or oldest first with `asc`) for
 * one keyset page: the rows after the cursor, up to the limit, and the cursor
 * of the next page.
 */
export async function fetchPage<Row extends { seq: number }, Item>(
  query: Knex.QueryBuilder,
  page: PageRequest,
  toItems: (rows: Row[]) => Item[] | Promise<Item[]>,
  seqColumn = 'seq',
  direction: 'desc' | 'asc' = 'desc',
): Promise<Page<Item>> {
  const limit = pageLimit(page.limit);
  const after = decodeCursor(page.cursor);
  query.orderBy(seqColumn, direction).limit(limit + 1);
  if (after !== undefined) {
    query.where(seqColumn, direction === 'desc' ? '<' : '>', after);
  }
  const rows: Row[] = await query;
  const pageRows = rows.slice(0, limit);
  return {
    items: await toItems(pageRows),
    nextCursor:
      rows.length > limit
        ? encodeCursor(pageRows[pageRows.length - 1].seq)
        : null,
  };
}
