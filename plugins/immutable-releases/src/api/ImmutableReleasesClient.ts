import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DeliveryMetrics,
  Deployment,
  EnvironmentsResponse,
  Page,
  PromotionRequest,
  Release,
  ReleaseEvent,
  RollbackRequest,
} from 'backstage-plugin-immutable-releases-common';
import {
  DryRunResult,
  ImmutableReleasesApi,
  PageOptions,
} from './ImmutableReleasesApi';

/**
 * Talks to the Immutable Releases backend (`/api/immutable-releases`) with the user's
 * Backstage credentials.
 *
 * @public
 */
export class ImmutableReleasesClient implements ImmutableReleasesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  listReleases(
    entityRef: string,
    options?: PageOptions,
  ): Promise<Page<Release>> {
    return this.get(`${entityPath(entityRef)}/releases`, pageQuery(options));
  }

  getRelease(releaseId: string): Promise<Release> {
    return this.get(`/v1/releases/${encodeURIComponent(releaseId)}`);
  }

  getEnvironments(entityRef: string): Promise<EnvironmentsResponse> {
    return this.get(`${entityPath(entityRef)}/environments`);
  }

  listDeployments(
    entityRef: string,
    options?: PageOptions & { environment?: string },
  ): Promise<Page<Deployment>> {
    return this.get(`${entityPath(entityRef)}/deployments`, {
      environment: options?.environment,
      ...pageQuery(options),
    });
  }

  getDeployment(deploymentId: string): Promise<Deployment> {
    return this.get(`/v1/deployments/${encodeURIComponent(deploymentId)}`);
  }

  listEvents(
    entityRef: string,
    options?: PageOptions,
  ): Promise<Page<ReleaseEvent>> {
    return this.get(`${entityPath(entityRef)}/events`, pageQuery(options));
  }

  getMetrics(
    entityRef: string,
    options?: { environment?: string; days?: number },
  ): Promise<DeliveryMetrics> {
    return this.get(`${entityPath(entityRef)}/metrics`, {
      environment: options?.environment,
      days: options?.days?.toString(),
    });
  }

  dryRunPromotion(
    request: Omit<PromotionRequest, 'dryRun'>,
  ): Promise<DryRunResult> {
    return this.send('POST', '/v1/promotions', { ...request, dryRun: true });
  }

  promote(request: Omit<PromotionRequest, 'dryRun'>): Promise<Deployment> {
    return this.send('POST', '/v1/promotions', request);
  }

  rollback(request: RollbackRequest): Promise<Deployment> {
    return this.send('POST', '/v1/rollbacks', request);
  }

  decideApproval(
    deploymentId: string,
    decision: { decision: 'approve' | 'reject'; comment?: string },
  ): Promise<Deployment> {
    return this.send(
      'POST',
      `/v1/deployments/${encodeURIComponent(deploymentId)}/approvals`,
      decision,
    );
  }

  cancelDeployment(deploymentId: string, reason?: string): Promise<Deployment> {
    return this.send(
      'POST',
      `/v1/deployments/${encodeURIComponent(deploymentId)}/cancel`,
      reason ? { reason } : {},
    );
  }

  async releaseHold(entityRef: string, environment: string): Promise<void> {
    await this.send(
      'DELETE',
      `${entityPath(entityRef)}/environments/${encodeURIComponent(
        environment,
      )}/hold`,
    );
  }

  revokeRelease(releaseId: string, reason: string): Promise<Release> {
    return this.send(
      'POST',
      `/v1/releases/${encodeURIComponent(releaseId)}/revoke`,
      { reason },
    );
  }

  private async get<T>(
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.set(key, value);
      }
    }
    const search = params.toString();
    return this.request(`${path}${search ? `?${search}` : ''}`, {
      method: 'GET',
    });
  }

  private async send<T>(
    method: 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    return this.request(path, {
      method,
      ...(body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('immutable-releases');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}

/** `/v1/entities/{kind}/{namespace}/{name}` of an entity ref, each part URL-encoded. */
function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/v1/entities/${[kind, namespace, name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/')}`;
}

function pageQuery(options?: PageOptions): Record<string, string | undefined> {
  return {
    limit: options?.limit?.toString(),
    cursor: options?.cursor,
  };
}
