import { mockCredentials } from '@backstage/backend-test-utils';
import {
  Deployment,
  EnvironmentDrift,
  EnvironmentsResponse,
  ImmutableReleasesApiClient,
  Release,
  TERMINAL_DEPLOYMENT_STATUSES,
} from 'backstage-plugin-immutable-releases-common';
import { CHECKOUT_ENTITY_REF } from './checkoutEntity';
import { digestOf } from './digestOf';
import { eventually } from './eventually';

/**
 * The Immutable Releases API of a started test backend, called by
 * `user:default/alice` about {@link CHECKOUT_ENTITY_REF}.
 */
export class ReleasesTestClient {
  private readonly api: ImmutableReleasesApiClient;
  private readonly credentials = {
    token: mockCredentials.user.token('user:default/alice'),
  };

  /** `baseUrl`: the backend's, `http://localhost:<port>`. */
  constructor(baseUrl: string) {
    this.api = new ImmutableReleasesApiClient({
      discoveryApi: {
        getBaseUrl: async pluginId => `${baseUrl}/api/${pluginId}`,
      },
    });
  }

  /** Registers a new OCI image release whose digest is `digestOf(version)`. */
  async registerRelease(options: {
    uri: string;
    version: string;
  }): Promise<Release> {
    const { release, created } = await this.api.registerRelease(
      {
        entityRef: CHECKOUT_ENTITY_REF,
        version: options.version,
        artifact: {
          type: 'oci-image',
          uri: options.uri,
          digest: digestOf(options.version),
        },
      },
      this.credentials,
    );
    if (!created) {
      throw new Error(`release ${options.version} was registered before`);
    }
    return release;
  }

  async deployment(deploymentId: string): Promise<Deployment> {
    return this.api.getDeployment(deploymentId, this.credentials);
  }

  /** The newest deployment of the release, if there is one yet. */
  async deploymentOf(release: Release): Promise<Deployment | undefined> {
    const page = await this.api.listDeployments(
      CHECKOUT_ENTITY_REF,
      undefined,
      this.credentials,
    );
    return page.items.find(deployment => deployment.releaseId === release.id);
  }

  /**
   * Waits until the newest deployment of the release has ended, e.g. the
   * automatic promotion that registering it started.
   */
  async finishedDeploymentOf(
    release: Release,
    timeoutMs = 20_000,
  ): Promise<Deployment> {
    return eventually(
      async () => {
        const deployment = await this.deploymentOf(release);
        if (
          !deployment ||
          !TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status)
        ) {
          throw new Error(
            `the deployment of ${
              release.version
            } did not finish within ${timeoutMs} ms; it is ${
              deployment?.status ?? 'not there'
            }`,
          );
        }
        return deployment;
      },
      timeoutMs,
      25,
    );
  }

  /** Registers a release and waits for the deployment that starts. */
  async deployRelease(options: {
    uri: string;
    version: string;
  }): Promise<Deployment> {
    return this.finishedDeploymentOf(await this.registerRelease(options));
  }

  /** The entity's pipeline with the status of each environment. */
  async environments(): Promise<EnvironmentsResponse> {
    return this.api.getEnvironments(CHECKOUT_ENTITY_REF, this.credentials);
  }

  /** What runs in the environment compared with what should. */
  async drift(environment: string): Promise<EnvironmentDrift> {
    const { environments } = await this.environments();
    const found = environments.find(({ name }) => name === environment);
    if (!found) {
      throw new Error(
        `${CHECKOUT_ENTITY_REF} has no environment ${environment}; it has ${environments
          .map(({ name }) => name)
          .join(', ')}`,
      );
    }
    return found.drift;
  }
}
