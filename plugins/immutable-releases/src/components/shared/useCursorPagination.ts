import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Page } from 'backstage-plugin-immutable-releases-common';

/**
 * Server-side pagination over a keyset cursor API: exactly one page is loaded at a time;
 * Previous goes back along the cursors already seen.
 */
export function useCursorPagination<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: unknown[],
) {
  // cursors[i] is the cursor of page i; page 0 has none
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const pageIndex = cursors.length - 1;
  const cursor = cursors[pageIndex];

  const state = useAsyncRetry(
    () => fetchPage(cursor),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cursor, ...deps],
  );

  const nextCursor = state.value?.nextCursor ?? null;
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
    loading: state.loading,
    error: state.error,
    items: state.value?.items,
    pageIndex,
    hasNext: Boolean(nextCursor) && !state.loading,
    hasPrevious: pageIndex > 0 && !state.loading,
    next,
    previous,
    first,
    retry: state.retry,
  };
}
