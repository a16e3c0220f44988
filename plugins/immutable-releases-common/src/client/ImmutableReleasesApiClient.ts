import { parseEntityRef } from '@backstage/catalog-model';
import type {
  AttestationInput,
  ChainVerification,
  DeliveryMetrics,
  Deployment,
  DriftStatus,
  DryRunResult,
  EnvironmentsResponse,
  FleetEntity,
  Page,
  PromotionRequest,
  RegisterReleaseRequest,
  RecordedReleaseEvent,
  Release,
  ReleaseAttestation,
  RollbackRequest,
} from '../types';
import { OperationTransport, sendOperation } from './sendOperation';

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
 * Which entities the fleet view lists: those with an environment in any of
 * the `drift` statuses, owned by `owner` (an entity ref; a bare name is a
 * group), following `pipeline`. Filters left out keep every entity.
 *
 * @public
 */
export interface FleetFilter {
  drift?: DriftStatus[];
  owner?: string;
  pipeline?: string;
}

/**
 * Which of an entity's audit events a page holds: those of `environment`, of
 * any of the `type`s (an exact type such as `deployment.failed`, or a group,
 * the part before the dot with the dot: `deployment.`), of `actor` (an entity
 * ref or service subject, exactly as events name it), of one deployment or
 * one release. Filters left out (or empty) keep every event.
 *
 * @public
 */
export interface EventFilter {
  environment?: string;
  type?: string[];
  actor?: string;
  deploymentId?: string;
  releaseId?: string;
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
  private readonly transport: OperationTransport;

  constructor(options: ImmutableReleasesApiClientOptions) {
    this.transport = {
      discoveryApi: options.discoveryApi,
      fetchApi: options.fetchApi ?? {
        fetch: (input, init) => fetch(input, init),
      },
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
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/releases',
      { body: request },
      options?.token,
    );
    return { release: answer.body, created: answer.status === 201 };
  }

  /** One release with its checks, revocation and latest deployment per environment. */
  async getRelease(
    releaseId: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Release> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/releases/{releaseId}',
      { path: { releaseId } },
      options?.token,
    );
    return answer.body;
  }

  /** A page of the entity's releases, newest first. */
  async listReleases(
    entityRef: string,
    page?: PageOptions,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<Release>> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/releases',
      { path: entityPath(entityRef), query: pageQuery(page) },
      options?.token,
    );
    return answer.body;
  }

  /** The entity's release with exactly this version, or undefined. */
  async findReleaseByVersion(
    entityRef: string,
    version: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Release | undefined> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/releases',
      { path: entityPath(entityRef), query: { version, limit: 1 } },
      options?.token,
    );
    return answer.body.items[0];
  }

  /**
   * Records an attestation (a Sigstore bundle whose statement names the
   * release digest). `created` is false when the same bundle was already
   * recorded (the answer is then that record).
   */
  async recordAttestation(
    releaseId: string,
    bundle: AttestationInput['bundle'],
    options?: ImmutableReleasesRequestOptions,
  ): Promise<{ attestation: ReleaseAttestation; created: boolean }> {
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/releases/{releaseId}/attestations',
      { path: { releaseId }, body: { bundle } },
      options?.token,
    );
    return { attestation: answer.body, created: answer.status === 201 };
  }

  /** The release's attestations, oldest first. */
  async listAttestations(
    releaseId: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<ReleaseAttestation[]> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/releases/{releaseId}/attestations',
      { path: { releaseId } },
      options?.token,
    );
    return answer.body.items;
  }

  /** Revokes a release: it can never be promoted again. */
  async revokeRelease(
    releaseId: string,
    reason: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Release> {
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/releases/{releaseId}/revoke',
      { path: { releaseId }, body: { reason } },
      options?.token,
    );
    return answer.body;
  }

  /** The entity's pipeline with the status of each environment, in pipeline order. */
  async getEnvironments(
    entityRef: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<EnvironmentsResponse> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/environments',
      { path: entityPath(entityRef) },
      options?.token,
    );
    return answer.body;
  }

  /**
   * A page of the fleet: every entity with releases, in entity ref order, with
   * each environment's current version, drift status, hold and pending count.
   * A page may hold fewer entities than `limit`, even none, while
   * `nextCursor` is set.
   */
  async listFleet(
    filter?: FleetFilter,
    page?: PageOptions,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<FleetEntity>> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/environments',
      {
        query: {
          drift: filter?.drift?.length ? filter.drift : undefined,
          owner: filter?.owner || undefined,
          pipeline: filter?.pipeline || undefined,
          ...pageQuery(page),
        },
      },
      options?.token,
    );
    return answer.body;
  }

  /** Lets automatic promotion into a held environment resume. */
  async releaseHold(
    entityRef: string,
    environment: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<void> {
    await sendOperation(
      this.transport,
      'delete',
      '/v1/entities/{kind}/{namespace}/{name}/environments/{environment}/hold',
      { path: { ...entityPath(entityRef), environment } },
      options?.token,
    );
  }

  /** A page of the entity's deployments, newest first, optionally of one environment. */
  async listDeployments(
    entityRef: string,
    page?: PageOptions & { environment?: string; releaseId?: string },
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<Deployment>> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/deployments',
      {
        path: entityPath(entityRef),
        query: {
          environment: page?.environment,
          releaseId: page?.releaseId,
          ...pageQuery(page),
        },
      },
      options?.token,
    );
    return answer.body;
  }

  /** One deployment with its transitions, gates, approvals and executor result. */
  async getDeployment(
    deploymentId: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/deployments/{deploymentId}',
      { path: { deploymentId } },
      options?.token,
    );
    return answer.body;
  }

  /** A page of the entity's audit events, newest first. */
  async listEvents(
    entityRef: string,
    page?: PageOptions & EventFilter,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<RecordedReleaseEvent>> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/events',
      {
        path: entityPath(entityRef),
        query: {
          environment: page?.environment || undefined,
          type: page?.type?.length ? page.type : undefined,
          actor: page?.actor || undefined,
          deploymentId: page?.deploymentId || undefined,
          releaseId: page?.releaseId || undefined,
          ...pageQuery(page),
        },
      },
      options?.token,
    );
    return answer.body;
  }

  /** Recomputes the entity's audit hash chain: valid, or the first event that does not hold. */
  async verifyEvents(
    entityRef: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<ChainVerification> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/events/verify',
      { path: entityPath(entityRef) },
      options?.token,
    );
    return answer.body;
  }

  /** DORA figures of one environment (default: the last of the pipeline) over `days` (default 30). */
  async getMetrics(
    entityRef: string,
    query?: { environment?: string; days?: number },
    options?: ImmutableReleasesRequestOptions,
  ): Promise<DeliveryMetrics> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/metrics',
      {
        path: entityPath(entityRef),
        query: { environment: query?.environment, days: query?.days },
      },
      options?.token,
    );
    return answer.body;
  }

  /** Evaluates every gate of a promotion without storing anything. */
  async dryRunPromotion(
    request: Omit<PromotionRequest, 'dryRun'>,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<DryRunResult> {
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/promotions',
      { body: { ...request, dryRun: true } },
      options?.token,
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
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/promotions',
      { body: request },
      options?.token,
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
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/rollbacks',
      { body: request },
      options?.token,
    );
    return answer.body;
  }

  /**
   * A page of the pending deployments the caller may approve or reject,
   * newest first. A page may be empty while `nextCursor` is set.
   */
  async listApprovals(
    page?: PageOptions,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Page<Deployment>> {
    const answer = await sendOperation(
      this.transport,
      'get',
      '/v1/approvals',
      { query: pageQuery(page) },
      options?.token,
    );
    return answer.body;
  }

  /** Approves or rejects a pending deployment; answers the updated deployment. */
  async decideApproval(
    deploymentId: string,
    decision: { decision: 'approve' | 'reject'; comment?: string },
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/deployments/{deploymentId}/approvals',
      { path: { deploymentId }, body: decision },
      options?.token,
    );
    return answer.body;
  }

  /** Cancels a deployment while it is still `pending`. */
  async cancelDeployment(
    deploymentId: string,
    reason?: string,
    options?: ImmutableReleasesRequestOptions,
  ): Promise<Deployment> {
    const answer = await sendOperation(
      this.transport,
      'post',
      '/v1/deployments/{deploymentId}/cancel',
      { path: { deploymentId }, body: reason ? { reason } : {} },
      options?.token,
    );
    return answer.body;
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
