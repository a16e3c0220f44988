import { Config } from '@backstage/config';
import {
  assertKnownKeys,
  readNonEmptyString,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';
import {
  ArgoCdConnection,
  CONNECTION_KEYS,
  readConnection,
} from './connectionSettings';

const KNOWN_KEYS = [
  'type',
  ...CONNECTION_KEYS,
  'helmImageParameter',
  'timeout',
  'pollInterval',
  // Read by the backend plugin for every executor.
  'callbackTimeout',
];

/** One `type: argocd` executor, as configured. */
export interface ArgoCdExecutorSettings {
  connection: ArgoCdConnection;
  /** The Helm parameter that takes `uri@digest`; unset: a Kustomize image override. */
  helmImageParameter?: string;
  /** How long the sync may take until the Application is healthy. */
  timeoutMs: number;
  /** How often the Application is read while waiting. */
  pollIntervalMs: number;
}

/** Reads and checks an executor definition; a mistake throws naming the key. */
export function readExecutorSettings(
  config: Config,
  configKey: string,
): ArgoCdExecutorSettings {
  assertKnownKeys(config, KNOWN_KEYS, configKey, 'the argocd executor');
  return {
    connection: readConnection(config, configKey),
    helmImageParameter: config.has('helmImageParameter')
      ? readNonEmptyString(config, 'helmImageParameter', configKey)
      : undefined,
    timeoutMs: readPositiveDurationMs(config, {
      key: 'timeout',
      configKey,
      defaultValue: { minutes: 10 },
    }),
    pollIntervalMs: readPositiveDurationMs(config, {
      key: 'pollInterval',
      configKey,
      defaultValue: { seconds: 2 },
    }),
  };
}
