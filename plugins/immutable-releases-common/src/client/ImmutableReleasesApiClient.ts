import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { paths } from '../schema/openapi.generated';
import type {
  DeliveryMetrics,
  Deployment,
  DryRunResult,
  EnvironmentsResponse,
  Page,
  PromotionRequest,
  RegisterReleaseRequest,
  Release,
  ReleaseEvent,
  RollbackRequest,
} from '../types';
import { GatesRefusedError } from './GatesRefusedError';

/** The plugin id the backend is discovered by. */
const PLUGIN_ID = 'immutable-releases';
/** The largest page the list routes answer. */
const MAX_PAGE_SIZE = 200;

/**
 * Paging of a list call: page size (1–200) and the `nextCursor` of the
 * previous page.
 *
 * @public
 */
export interface PageOptions {
  limit?: number;
  cursor?: string;
}

/**
 * Per-call options: the Backstage token to send as `Authorization: Bearer`.
 * Leave it out where the `fetchApi` adds credentials itself (the frontend's).
 *
 * @public
 */
export interface ImmutableReleasesRequestOptions {
  token?: string;
}

/**
 * What the client needs to reach the backend: where it is (a `discoveryApi`
 * or the backend's `discovery` service) and, optionally, how to fetch (the
 * frontend's `fetchApi`, which signs requests in; else the global `fetch`).
 *
 * @public
 */
export interface ImmutableReleasesApiClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

type Method = 'get' | 'post' | 'delete';
type Route = keyof paths;
/** The methods a route has. */
type MethodOf<R extends Route> = {
  [M in Method]: undefined extends paths[R][M] ? never : M;
}[Method];
type Operation<R extends Route, M extends MethodOf<R>> = Exclude<
  paths[R][M],
  undefined
>;

type JsonContent<T> = T extends { content: { 'application/json': infer B } }
  ? B
  : undefined;
type SuccessStatus = 200 | 201 | 202 | 204;
/** The successful answers of an operation: each status with its body. */
type Answer<O> = O extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: { status: S; body: JsonContent<R[S]> };
    }[keyof R & SuccessStatus]
  : never;

/** Path and query parameters and body of an operation, as the document types them. */
type Input<O> = (O extends { parameters: { path: infer P } }
  ? { path: P }
  : { path?: undefined }) &
  (O extends { parameters: { query?: infer Q } } ? { query?: Q } : unknown) &
  (O extends { requestBody: { content: { 'application/json': infer B } } }
    ? { body: B }
    : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { body?: B }
    : unknown);

/** What {@link ImmutableReleasesApiClient.call} does with any operation. */
interface UntypedInput {
  path?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/**
 * A typed client of the Immutable Releases REST API, for the browser and for
 * backends alike. Requests and answers are typed from the OpenAPI document.
 *
 * An error answer rejects with a `ResponseError` (from `@backstage/errors`)
 * carrying the status and the server's error as `cause`, except a promotion
 * refused by its gates, which rejects with a {@link GatesRefusedError}.
 *
 * @public
 */
export class ImmutableReleasesApiClient {
  private readonly discoveryApi: ImmutableReleasesApiClientOptions['discoveryApi'];
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: ImmutableReleasesApiClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? {
      fetch: (input, init) => fetch(input, init),
    };
  }

  /**
   * Registers a release. `created` is false when the identical release was
   * already registered (the answer is then that release).
   */
  async registerRelease(
    request: RegisterReleaseRequest,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<{ release: Release; created: boolean }> {
    const answer = await this.call(
      'post',
      '/v1/releases',
      { body: request },
      options,
    );
    return { release: answer.body, created: answer.status === 201 };
  }

  /** One release with its checks, revocation and latest deployment per environment. */
  async getRelease(
    releaseId: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Release> {
    const answer = await this.call(
      'get',
      '/v1/releases/{releaseId}',
      { path: { releaseId } },
      options,
    );
    return answer.body;
  }

  /** A page of the entity's releases, newest first. */
  async listReleases(
    entityRef: string,
    page?: PageOptions,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<Release>> {
    const answer = await this.call(
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/releases',
      { path: entityPath(entityRef), query: pageQuery(page) },
      options,
    );
    return answer.body;
  }

  /**
   * The entity's release with this version, looked up page by page through
   * its releases (newest first), or undefined.
   */
  async findReleaseByVersion(
    entityRef: string,
    version: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Release | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.listReleases(
        entityRef,
        { limit: MAX_PAGE_SIZE, cursor },
        options,
      );
      const match = page.items.find(release => release.version === version);
      if (match) {
        return match;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return undefined;
  }

  /** Revokes a release: it can never be promoted again. */
  async revokeRelease(
    releaseId: string,
    reason: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Release> {
    const answer = await this.call(
      'post',
      '/v1/releases/{releaseId}/revoke',
      { path: { releaseId }, body: { reason } },
      options,
    );
    return answer.body;
  }

  /** The entity's pipeline with the status of each environment, in pipeline order. */
  async getEnvironments(
    entityRef: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<EnvironmentsResponse> {
    const answer = await this.call(
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/environments',
      { path: entityPath(entityRef) },
      options,
    );
    return answer.body;
  }

  /** Lets automatic promotion into a held environment resume. */
  async releaseHold(
    entityRef: string,
    environment: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<void> {
    await this.call(
      'delete',
      '/v1/entities/{kind}/{namespace}/{name}/environments/{environment}/hold',
      { path: { ...entityPath(entityRef), environment } },
      options,
    );
  }

  /** A page of the entity's deployments, newest first, optionally of one environment. */
  async listDeployments(
    entityRef: string,
    page?: PageOptions & { environment?: string },
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<Deployment>> {
    const answer = await this.call(
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/deployments',
      {
        path: entityPath(entityRef),
        query: { environment: page?.environment, ...pageQuery(page) },
      },
      options,
    );
    return answer.body;
  }

  /** One deployment with its transitions, gates, approvals and executor result. */
  async getDeployment(
    deploymentId: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await this.call(
      'get',
      '/v1/deployments/{deploymentId}',
      { path: { deploymentId } },
      options,
    );
    return answer.body;
  }

  /** A page of the entity's audit events, newest first. */
  async listEvents(
    entityRef: string,
    page?: PageOptions,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<ReleaseEvent>> {
    const answer = await this.call(
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/events',
      { path: entityPath(entityRef), query: pageQuery(page) },
      options,
    );
    return answer.body;
  }

  /** DORA figures of one environment (default: the last of the pipeline) over `days` (default 30). */
  async getMetrics(
    entityRef: string,
    query?: { environment?: string; days?: number },
    options?: ImmutableReleasesRequestOptions,
  ): Promise<DeliveryMetrics> {
    const answer = await this.call(
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/metrics',
      {
        path: entityPath(entityRef),
        query: { environment: query?.environment, days: query?.days },
      },
      options,
    );
    return answer.body;
  }

  /** Evaluates every gate of a promotion without storing anything. */
  async dryRunPromotion(
    request: Omit<PromotionRequest, 'dryRun'>,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<DryRunResult> {
    const answer = await this.call(
      'post',
      '/v1/promotions',
      { body: { ...request, dryRun: true } },
      options,
    );
    if (answer.status !== 200) {
      throw new Error(
        `a dry run of a promotion was answered ${answer.status}, not 200 with the gates`,
      );
    }
    return answer.body;
  }

  /**
   * Requests a promotion. A refused promotion rejects with a
   * {@link GatesRefusedError}; one that waits for approvals or its turn
   * resolves with the `pending` deployment.
   */
  async promote(
    request: Omit<PromotionRequest, 'dryRun'>,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await this.call(
      'post',
      '/v1/promotions',
      { body: request },
      options,
    );
    if (answer.status !== 202) {
      throw new Error(
        `a promotion was answered ${answer.status}, not 202 with the deployment`,
      );
    }
    return answer.body;
  }

  /** Requests a rollback (by default to the known-good release) and holds the environment. */
  async rollback(
    request: RollbackRequest,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await this.call(
      'post',
      '/v1/rollbacks',
      { body: request },
      options,
    );
    return answer.body;
  }

  /** Approves or rejects a pending deployment; answers the updated deployment. */
  async decideApproval(
    deploymentId: string,
    decision: { decision: 'approve' | 'reject'; comment?: string },
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await this.call(
      'post',
      '/v1/deployments/{deploymentId}/approvals',
      { path: { deploymentId }, body: decision },
      options,
    );
    return answer.body;
  }

  /** Cancels a deployment while it is still `pending`. */
  async cancelDeployment(
    deploymentId: string,
    reason?: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await this.call(
      'post',
      '/v1/deployments/{deploymentId}/cancel',
      { path: { deploymentId }, body: reason ? { reason } : {} },
      options,
    );
    return answer.body;
  }

  /**
   * Sends one operation of the document and answers its status and body,
   * typed from the document; an error answer rejects (see the class).
   */
  private call<R extends Route, M extends MethodOf<R>>(
    method: M,
    route: R,
    input: Input<Operation<R, M>>,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Answer<Operation<R, M>>>;
  private async call(
    method: Method,
    route: Route,
    input: UntypedInput,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<{ status: number; body: unknown }> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const path = route.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = input.path?.[name];
      if (value === undefined) {
        throw new TypeError(`${route} needs the path parameter ${name}`);
      }
      return encodeURIComponent(value);
    });
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) {
        query.set(key, String(value));
      }
    }
    const search = query.toString();
    const headers: Record<string, string> = {};
    if (options?.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    if (input.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${search ? `?${search}` : ''}`,
      {
        method: method.toUpperCase(),
        headers,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
      },
    );
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      throw GatesRefusedError.fromResponseError(error) ?? error;
    }
    if (response.status === 204) {
      return { status: response.status, body: undefined };
    }
    const body: unknown = await response.json();
    return { status: response.status, body };
  }
}

/** The path parameters of an entity ref, lower-cased as the backend stores them. */
function entityPath(entityRef: string): {
  kind: string;
  namespace: string;
  name: string;
} {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return {
    kind: kind.toLocaleLowerCase('en-US'),
    namespace: namespace.toLocaleLowerCase('en-US'),
    name: name.toLocaleLowerCase('en-US'),
  };
}

function pageQuery(page?: PageOptions): PageOptions {
  return { limit: page?.limit, cursor: page?.cursor };
}
