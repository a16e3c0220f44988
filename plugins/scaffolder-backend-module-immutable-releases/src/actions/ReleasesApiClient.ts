import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  Deployment,
  EnvironmentsResponse,
  GateResult,
  Page,
  PromotionRequest,
  RegisterReleaseRequest,
  Release,
  RollbackRequest,
} from 'backstage-plugin-immutable-releases-common';

const PLUGIN_ID = 'immutable-releases';
/** The largest page the list routes answer. */
const MAX_PAGE_SIZE = 200;

/** A refused promotion: the 409 answer's failing gates, each with its message. */
export class GatesRefusedError extends ConflictError {
  readonly gates: GateResult[];

  constructor(message: string, gates: GateResult[]) {
    super(message);
    this.gates = gates;
  }
}

/**
 * Calls the Immutable Releases backend over HTTP on behalf of a user: each
 * request carries a token that the `auth` service issues for the user's
 * credentials, so permissions, approvals and the audit trail see that user.
 */
export class ReleasesApiClient {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
  }

  async registerRelease(
    request: RegisterReleaseRequest,
    credentials: BackstageCredentials,
  ): Promise<{ release: Release; created: boolean }> {
    const { body, status } = await this.call<Release>(
      credentials,
      'POST',
      '/v1/releases',
      request,
      `registering ${request.version} of ${request.entityRef}`,
    );
    return { release: body, created: status === 201 };
  }

  async getRelease(
    releaseId: string,
    credentials: BackstageCredentials,
  ): Promise<Release> {
    const { body } = await this.call<Release>(
      credentials,
      'GET',
      `/v1/releases/${encodeURIComponent(releaseId)}`,
      undefined,
      `reading release ${releaseId}`,
    );
    return body;
  }

  /**
   * The entity's release with this version, looked up through the paginated
   * releases list (newest first), or undefined.
   */
  async findReleaseByVersion(
    entityRef: string,
    version: string,
    credentials: BackstageCredentials,
  ): Promise<Release | undefined> {
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: String(MAX_PAGE_SIZE) });
      if (cursor) {
        query.set('cursor', cursor);
      }
      const { body: page }: { body: Page<Release> } = await this.call<
        Page<Release>
      >(
        credentials,
        'GET',
        `${entityPath(entityRef)}/releases?${query}`,
        undefined,
        `listing the releases of ${entityRef}`,
      );
      const match = page.items.find(release => release.version === version);
      if (match) {
        return match;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  }

  async getEnvironments(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentsResponse> {
    const { body } = await this.call<EnvironmentsResponse>(
      credentials,
      'GET',
      `${entityPath(entityRef)}/environments`,
      undefined,
      `reading the environments of ${entityRef}`,
    );
    return body;
  }

  async promote(
    request: PromotionRequest & { dryRun?: false },
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const { body } = await this.call<Deployment>(
      credentials,
      'POST',
      '/v1/promotions',
      request,
      `promoting ${request.entityRef} to ${request.environment}`,
    );
    return body;
  }

  /** Evaluates every gate of a promotion without starting anything. */
  async evaluatePromotion(
    request: PromotionRequest,
    credentials: BackstageCredentials,
  ): Promise<GateResult[]> {
    const { body } = await this.call<{ gates: GateResult[] }>(
      credentials,
      'POST',
      '/v1/promotions',
      { ...request, dryRun: true },
      `evaluating the gates of promoting ${request.entityRef} to ${request.environment}`,
    );
    return body.gates;
  }

  async rollback(
    request: RollbackRequest,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const { body } = await this.call<Deployment>(
      credentials,
      'POST',
      '/v1/rollbacks',
      request,
      `rolling back ${request.environment} of ${request.entityRef}`,
    );
    return body;
  }

  async getDeployment(
    deploymentId: string,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const { body } = await this.call<Deployment>(
      credentials,
      'GET',
      `/v1/deployments/${encodeURIComponent(deploymentId)}`,
      undefined,
      `reading deployment ${deploymentId}`,
    );
    return body;
  }

  private async call<T>(
    credentials: BackstageCredentials,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    what: string,
  ): Promise<{ body: T; status: number }> {
    if (this.auth.isPrincipal(credentials, 'none')) {
      throw new NotAllowedError(
        `${what} needs a signed-in user: the task has no initiator credentials`,
      );
    }
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: PLUGIN_ID,
    });
    const baseUrl = await this.discovery.getBaseUrl(PLUGIN_ID);
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.ok) {
      return { body: (await response.json()) as T, status: response.status };
    }
    throw await errorFromResponse(response, what);
  }
}

/** The API path of an entity: `/v1/entities/{kind}/{namespace}/{name}`. */
function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/v1/entities/${[kind, namespace, name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/')}`;
}

/** Turns an error answer of the backend into a typed error with its message. */
async function errorFromResponse(
  response: Response,
  what: string,
): Promise<Error> {
  const text = await response.text();
  let parsed:
    | { error?: { name?: string; message?: string }; gates?: GateResult[] }
    | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const serverMessage =
    parsed?.error?.message ?? (text.trim() || response.statusText);
  const message = `${what} failed: ${serverMessage}`;
  switch (response.status) {
    case 400:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409: {
      const failing = (parsed?.gates ?? []).filter(gate => !gate.passed);
      if (failing.length > 0) {
        return new GatesRefusedError(
          `${what} was refused by ${
            failing.length === 1 ? 'a gate' : 'gates'
          }: ${failing
            .map(gate => `${gate.name}: ${gate.message}`)
            .join('; ')}`,
          parsed!.gates!,
        );
      }
      return new ConflictError(message);
    }
    default:
      return new Error(
        `${what} failed with HTTP ${response.status}: ${serverMessage}`,
      );
  }
}
