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

export const DRIFT_KEY = 'immutableReleases.drift.argocd';
const KNOWN_KEYS = ['environment', 'pipeline', 'frequency', ...CONNECTION_KEYS];

/** One entry of `immutableReleases.drift.argocd`. */
export interface ArgoCdDriftSettings {
  /** The observation source id: `argocd:<host>:<environment>` (plus `#<n>` when taken). */
  id: string;
  configKey: string;
  environment: string;
  pipeline?: string;
  connection: ArgoCdConnection;
  frequencyMs: number;
}

/** Reads and checks `immutableReleases.drift.argocd`; a mistake throws naming the key. */
export function readDriftSettings(root: Config): ArgoCdDriftSettings[] {
  const ids = new Set<string>();
  return (root.getOptionalConfigArray(DRIFT_KEY) ?? []).map((config, index) => {
    const configKey = `${DRIFT_KEY}[${index}]`;
    assertKnownKeys(config, KNOWN_KEYS, configKey, 'an argocd drift entry');
    const environment = readNonEmptyString(config, 'environment', configKey);
    const connection = readConnection(config, configKey);
    const host = new URL(connection.baseUrl).host;
    let id = `argocd:${host}:${environment}`;
    for (let n = 2; ids.has(id); n++) {
      id = `argocd:${host}:${environment}#${n}`;
    }
    ids.add(id);
    return {
      id,
      configKey,
      environment,
      pipeline: config.has('pipeline')
        ? readNonEmptyString(config, 'pipeline', configKey)
        : undefined,
      connection,
      frequencyMs: readPositiveDurationMs(config, {
        key: 'frequency',
        configKey,
        defaultValue: { minutes: 1 },
      }),
    };
  });
}
