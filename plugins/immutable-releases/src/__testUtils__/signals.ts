import { act } from '@testing-library/react';
import type { SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';

/**
 * A signal API standing in for the signals plugin: tests publish on a channel and see who
 * listens.
 */
export function mockSignalApi() {
  const listeners = new Map<string, Set<(message: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe<TMessage extends JsonObject>(
      channel: string,
      onMessage: (message: TMessage) => void,
    ) {
      const listener = onMessage as (message: JsonObject) => void;
      const onChannel = listeners.get(channel) ?? new Set();
      onChannel.add(listener);
      listeners.set(channel, onChannel);
      return { unsubscribe: () => onChannel.delete(listener) };
    },
  };
  return {
    api,
    /** Sends a message to everyone listening on the channel. */
    publish(channel: string, message: JsonObject) {
      act(() => {
        for (const listener of listeners.get(channel) ?? []) {
          listener(message);
        }
      });
    },
    /** The channels someone listens on now. */
    channels(): string[] {
      return [...listeners.entries()]
        .filter(([, onChannel]) => onChannel.size > 0)
        .map(([channel]) => channel);
    },
  };
}
