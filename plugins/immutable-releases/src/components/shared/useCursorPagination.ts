import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Page } from 'backstage-plugin-immutable-releases-common';

/**
 * Server-side pagination over a keyset cursor API: exactly one page is loaded at a time;
 * Previous goes back along the cursors already seen. `firstPage`, when the caller has
 * loaded page 0 already (together with what else it needed), is shown as it is.
 */
export function useCursorPagination<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: unknown[],
  firstPage?: Page<T>,
) {
  // cursors[i] is the cursor of page i; page 0 has none
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const pageIndex = cursors.length - 1;
  const cursor = cursors[pageIndex];
  const givenPage = pageIndex === 0 ? firstPage : undefined;

  const state = useAsyncRetry(
    async () => givenPage ?? fetchPage(cursor),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cursor, givenPage, ...deps],
  );
  const page = givenPage ?? state.value;
  const loading = givenPage ? false : state.loading;

  const nextCursor = page?.nextCursor ?? null;
  const next = useCallback(() => {
    if (nextCursor) {
      setCursors(previous => [...previous, nextCursor]);
    }
  }, [nextCursor]);
  const previous = useCallback(() => {
    setCursors(seen => (seen.length > 1 ? seen.slice(0, -1) : seen));
  }, []);
  const first = useCallback(() => setCursors([undefined]), []);

  return {
    loading,
    error: givenPage ? undefined : state.error,
    items: page?.items,
    pageIndex,
    hasNext: Boolean(nextCursor) && !loading,
    hasPrevious: pageIndex > 0 && !loading,
    next,
    previous,
    first,
    retry: state.retry,
  };
}
