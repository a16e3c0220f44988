import { useCallback, useEffect, useRef, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  immutableReleasesSignalChannel,
  ImmutableReleasesSignal,
} from 'backstage-plugin-immutable-releases-common';

/**
 * How long to wait after a signal for the next one before reloading: a deployment passes
 * several states within seconds, and one reload should cover them all.
 */
export const SIGNAL_DEBOUNCE_MS = 500;

/**
 * Calls `onSignal` with each message the backend sends on the entity's signals channel.
 * In an app without the signals plugin no message ever arrives, and nothing fails.
 */
export function useReleaseSignal(
  entityRef: string,
  onSignal: (signal: ImmutableReleasesSignal) => void,
): void {
  const { lastSignal } = useSignal<ImmutableReleasesSignal>(
    immutableReleasesSignalChannel(entityRef),
  );
  const latestOnSignal = useRef(onSignal);
  useEffect(() => {
    latestOnSignal.current = onSignal;
  });
  useEffect(() => {
    if (lastSignal) {
      latestOnSignal.current(lastSignal);
    }
  }, [lastSignal]);
}

/**
 * A key to reload by, and a request to change it once a burst of requests is over
 * ({@link SIGNAL_DEBOUNCE_MS} without another).
 */
export function useDebouncedRefresh(delayMs: number = SIGNAL_DEBOUNCE_MS) {
  const [refreshKey, setRefreshKey] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const requestRefresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setRefreshKey(key => key + 1), delayMs);
  }, [delayMs]);
  return { refreshKey, requestRefresh };
}

/** A key that changes shortly after the backend signals a change of the entity's releases. */
export function useReleaseSignalRefreshKey(entityRef: string): number {
  const { refreshKey, requestRefresh } = useDebouncedRefresh();
  useReleaseSignal(entityRef, requestRefresh);
  return refreshKey;
}
