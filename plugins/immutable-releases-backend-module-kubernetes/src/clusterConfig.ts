import { Config } from '@backstage/config';

const LOCATORS_KEY = 'kubernetes.clusterLocatorMethods';

/** A cluster from Backstage's Kubernetes configuration, as this module uses it. */
export interface ClusterDefinition {
  name: string;
  /** Where it is configured, for messages: `kubernetes.clusterLocatorMethods[0].clusters[1]`. */
  configKey: string;
  url: string;
  serviceAccountToken: string;
  /** Base64-encoded PEM of the API server's certificate authority. */
  caData?: string;
  skipTLSVerify: boolean;
}

/**
 * Reads the cluster `name` from the `type: config` entries of
 * `kubernetes.clusterLocatorMethods` (the configuration of Backstage's
 * Kubernetes plugin) for the setting at `referencedBy`. Throws naming the key
 * when the cluster is unknown or cannot be used with a service account token.
 */
export function readCluster(
  root: Config,
  name: string,
  referencedBy: string,
): ClusterDefinition {
  const clusters = configuredClusters(root);
  const found = clusters.find(c => c.config.getOptionalString('name') === name);
  if (!found) {
    const known = clusters
      .map(c => c.config.getOptionalString('name'))
      .filter(Boolean);
    throw new Error(
      `${referencedBy} '${name}' is not a cluster of ${LOCATORS_KEY} (type: config); known clusters: ${
        known.join(', ') || 'none'
      }`,
    );
  }
  const { config, configKey } = found;
  const authProvider = config.getOptionalString('authProvider');
  if (authProvider !== 'serviceAccount') {
    throw new Error(
      `${configKey}.authProvider must be serviceAccount for cluster '${name}' (used by ${referencedBy}), got ${
        authProvider ?? 'nothing'
      }`,
    );
  }
  const serviceAccountToken = config.getOptionalString('serviceAccountToken');
  if (!serviceAccountToken) {
    throw new Error(
      `${configKey}.serviceAccountToken is missing: cluster '${name}' (used by ${referencedBy}) needs a service account token`,
    );
  }
  const url = config.getOptionalString('url') ?? '';
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
    throw new Error(
      `${configKey}.url must be the http(s) URL of the cluster's API server`,
    );
  }
  return {
    name,
    configKey,
    url,
    serviceAccountToken,
    caData: config.getOptionalString('caData'),
    skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

function configuredClusters(
  root: Config,
): Array<{ config: Config; configKey: string }> {
  const clusters: Array<{ config: Config; configKey: string }> = [];
  (root.getOptionalConfigArray(LOCATORS_KEY) ?? []).forEach(
    (locator, locatorIndex) => {
      if (locator.getOptionalString('type') !== 'config') {
        return;
      }
      (locator.getOptionalConfigArray('clusters') ?? []).forEach(
        (config, clusterIndex) =>
          clusters.push({
            config,
            configKey: `${LOCATORS_KEY}[${locatorIndex}].clusters[${clusterIndex}]`,
          }),
      );
    },
  );
  return clusters;
}
