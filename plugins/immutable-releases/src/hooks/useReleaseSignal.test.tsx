import { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { mockSignalApi } from '../__testUtils__/signals';
import {
  SIGNAL_DEBOUNCE_MS,
  useReleaseSignalRefreshKey,
} from './useReleaseSignal';

const channel = 'immutable-releases:component:default/shop';

function withSignals(signals: ReturnType<typeof mockSignalApi>) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[signalApiRef, signals.api]]}>
      {children}
    </TestApiProvider>
  );
}

describe('useReleaseSignalRefreshKey', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('changes once after a burst of signals on the entity channel', () => {
    const signals = mockSignalApi();
    const { result } = renderHook(
      () => useReleaseSignalRefreshKey('Component:default/Shop'),
      { wrapper: withSignals(signals) },
    );
    expect(signals.channels()).toEqual([channel]);
    expect(result.current).toBe(0);

    for (const type of ['deployment.running', 'deployment.succeeded']) {
      signals.publish(channel, { type, environment: 'production' });
      act(() => jest.advanceTimersByTime(SIGNAL_DEBOUNCE_MS / 2));
    }
    expect(result.current).toBe(0);
    act(() => jest.advanceTimersByTime(SIGNAL_DEBOUNCE_MS));
    expect(result.current).toBe(1);
  });

  it('ignores the channels of other entities', () => {
    const signals = mockSignalApi();
    const { result } = renderHook(
      () => useReleaseSignalRefreshKey('component:default/shop'),
      { wrapper: withSignals(signals) },
    );
    signals.publish('immutable-releases:component:default/ledger', {
      type: 'drift.changed',
    });
    act(() => jest.advanceTimersByTime(SIGNAL_DEBOUNCE_MS * 2));
    expect(result.current).toBe(0);
  });

  it('stops listening when unmounted', () => {
    const signals = mockSignalApi();
    const { unmount } = renderHook(
      () => useReleaseSignalRefreshKey('component:default/shop'),
      { wrapper: withSignals(signals) },
    );
    unmount();
    expect(signals.channels()).toEqual([]);
  });

  it('works in an app without the signals plugin', () => {
    const { result } = renderHook(
      () => useReleaseSignalRefreshKey('component:default/shop'),
      {
        wrapper: ({ children }: { children: ReactNode }) => (
          <TestApiProvider apis={[]}>{children}</TestApiProvider>
        ),
      },
    );
    expect(result.current).toBe(0);
  });
});
