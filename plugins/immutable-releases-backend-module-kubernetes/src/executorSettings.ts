import { Config } from '@backstage/config';
import { ClusterDefinition, readCluster } from './clusterConfig';
import {
  assertKnownKeys,
  readNonEmptyString,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';
import { isNamespaceName } from './entityWorkloads';

const KNOWN_KEYS = [
  'type',
  'cluster',
  'namespace',
  'timeout',
  'pollInterval',
  // Read by the backend plugin for every executor.
  'callbackTimeout',
];

/** One `type: kubernetes` executor, as configured. */
export interface KubernetesExecutorSettings {
  cluster: ClusterDefinition;
  /** When unset, each entity's `backstage.io/kubernetes-namespace`, else `default`. */
  namespace?: string;
  /** How long the rollout may take. */
  timeoutMs: number;
  /** How often the rollout status is read. */
  pollIntervalMs: number;
}

/** Reads and checks an executor definition; a mistake throws naming the key. */
export function readExecutorSettings(
  root: Config,
  config: Config,
  configKey: string,
): KubernetesExecutorSettings {
  assertKnownKeys(config, KNOWN_KEYS, configKey, 'the kubernetes executor');
  return {
    cluster: readCluster(
      root,
      readNonEmptyString(config, 'cluster', configKey),
      `${configKey}.cluster`,
    ),
    namespace: readNamespace(config, configKey),
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

/** The optional `namespace` of a definition at `configKey`; it must name a namespace. */
export function readNamespace(
  config: Config,
  configKey: string,
): string | undefined {
  if (!config.has('namespace')) {
    return undefined;
  }
  const namespace = config.getOptional('namespace');
  if (typeof namespace !== 'string' || !isNamespaceName(namespace)) {
    throw new Error(
      `${configKey}.namespace must be a namespace name (lower-case letters, digits and '-', at most 63), got ${JSON.stringify(
        namespace,
      )}`,
    );
  }
  return namespace;
}
