import { Config } from '@backstage/config';
import { ClusterDefinition, readCluster } from './clusterConfig';
import {
  assertKnownKeys,
  readNonEmptyString,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';
import { readNamespace } from './executorSettings';

export const DRIFT_KEY = 'immutableReleases.drift.kubernetes';
const KNOWN_KEYS = [
  'environment',
  'pipeline',
  'cluster',
  'namespace',
  'frequency',
];

/** One entry of `immutableReleases.drift.kubernetes`. */
export interface KubernetesDriftSettings {
  /** The observation source id: `kubernetes:<cluster>:<environment>` (plus `#<n>` when taken). */
  id: string;
  configKey: string;
  environment: string;
  pipeline?: string;
  cluster: ClusterDefinition;
  /** When unset, each entity's `backstage.io/kubernetes-namespace`, else `default`. */
  namespace?: string;
  frequencyMs: number;
}

/** Reads and checks `immutableReleases.drift.kubernetes`; a mistake throws naming the key. */
export function readDriftSettings(root: Config): KubernetesDriftSettings[] {
  const ids = new Set<string>();
  return (root.getOptionalConfigArray(DRIFT_KEY) ?? []).map((config, index) => {
    const configKey = `${DRIFT_KEY}[${index}]`;
    assertKnownKeys(config, KNOWN_KEYS, configKey);
    const environment = readNonEmptyString(config, 'environment', configKey);
    const cluster = readCluster(
      root,
      readNonEmptyString(config, 'cluster', configKey),
      `${configKey}.cluster`,
    );
    let id = `kubernetes:${cluster.name}:${environment}`;
    for (let n = 2; ids.has(id); n++) {
      id = `kubernetes:${cluster.name}:${environment}#${n}`;
    }
    ids.add(id);
    return {
      id,
      configKey,
      environment,
      pipeline: config.has('pipeline')
        ? readNonEmptyString(config, 'pipeline', configKey)
        : undefined,
      cluster,
      namespace: readNamespace(config, configKey),
      frequencyMs: readPositiveDurationMs(config, {
        key: 'frequency',
        configKey,
        defaultValue: { minutes: 1 },
      }),
    };
  });
}
