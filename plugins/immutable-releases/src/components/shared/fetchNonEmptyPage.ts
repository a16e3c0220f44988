import { Page } from 'backstage-plugin-immutable-releases-common';

/** Requests made at most for one page before showing it empty with a way on. */
export const MAX_PAGES_FOLLOWED = 5;

/**
 * Fetches the page at `cursor` and, while it is empty but not the last, the pages after it.
 * Lists whose server leaves out what the caller may not see can answer empty pages that are
 * not the end; the user should not have to click through them.
 */
export async function fetchNonEmptyPage<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  cursor: string | undefined,
  maxRequests: number = MAX_PAGES_FOLLOWED,
): Promise<Page<T>> {
  let page = await fetchPage(cursor);
  for (
    let requests = 1;
    page.items.length === 0 && page.nextCursor && requests < maxRequests;
    requests++
  ) {
    page = await fetchPage(page.nextCursor);
  }
  return page;
}
