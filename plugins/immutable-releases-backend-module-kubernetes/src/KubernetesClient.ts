import {
  BearerJsonClient,
  BearerJsonRequest,
} from 'backstage-plugin-immutable-releases-node';
import { ClusterDefinition } from './clusterConfig';

/**
 * A minimal client of the Kubernetes REST API for one cluster: bearer token
 * (service account), the cluster's CA or no verification when configured.
 * Failures are `TargetRequestError`s naming the cluster, never the token.
 * See the package README for why it does not use @kubernetes/client-node.
 */
export class KubernetesClient {
  private readonly http: BearerJsonClient;

  constructor(private readonly cluster: ClusterDefinition) {
    this.http = new BearerJsonClient({
      baseUrl: cluster.url,
      token: cluster.serviceAccountToken,
      caData: cluster.caData,
      skipTLSVerify: cluster.skipTLSVerify,
      serverName: `cluster ${cluster.name}`,
    });
  }

  get clusterName(): string {
    return this.cluster.name;
  }

  get<T>(path: string, request: BearerJsonRequest = {}): Promise<T> {
    return this.http.request<T>('GET', path, request);
  }

  patch<T>(path: string, request: BearerJsonRequest): Promise<T> {
    return this.http.request<T>('PATCH', path, request);
  }

  /** Every item of a list, following `continue` tokens. */
  async list<T>(path: string, request: BearerJsonRequest = {}): Promise<T[]> {
    const items: T[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.get<{
        items: T[];
        metadata?: { continue?: string };
      }>(path, {
        ...request,
        query: {
          ...request.query,
          limit: '500',
          ...(continueToken ? { continue: continueToken } : {}),
        },
      });
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  destroy(): void {
    this.http.destroy();
  }
}
