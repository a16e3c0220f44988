import type {
  DeploymentContext,
  DeploymentProgress,
} from 'backstage-plugin-immutable-releases-node';

export interface TestDeploymentContextOptions {
  /** The release's `artifact.uri`. */
  uri: string;
  digest: string;
  /** The catalog entity's name (its ref is `component:<namespace>/<name>`). */
  entityName: string;
  entityNamespace?: string;
  annotations?: Record<string, string>;
  environment?: string;
  signal?: AbortSignal;
}

/**
 * What the plugin hands an executor when it deploys a release, for testing
 * an executor on its own; `progress` collects what it reports meanwhile.
 */
export function testDeploymentContext(options: TestDeploymentContextOptions): {
  context: DeploymentContext;
  progress: DeploymentProgress[];
} {
  const { uri, digest, entityName } = options;
  const namespace = options.entityNamespace ?? 'default';
  const progress: DeploymentProgress[] = [];
  return {
    progress,
    context: {
      payload: {
        deploymentId: 'd-1',
        kind: 'promotion',
        entityRef: `component:${namespace}/${entityName}`,
        environment: options.environment ?? 'production',
        artifactRef: `${uri}@${digest}`,
        release: {
          id: 'r-1',
          version: '2.0.0',
          artifact: { type: 'oci-image', uri, digest },
          source: {},
          build: {},
          labels: {},
        },
      },
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: entityName,
          namespace,
          annotations: options.annotations ?? {},
        },
      },
      signal: options.signal ?? new AbortController().signal,
      callbackToken: 'unused',
      reportProgress: report => progress.push(report),
    },
  };
}
