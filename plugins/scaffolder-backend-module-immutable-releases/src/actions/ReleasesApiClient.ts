import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import {
  Deployment,
  EnvironmentsResponse,
  GateResult,
  GatesRefusedError as RefusedByGates,
  ImmutableReleasesApiClient,
  ImmutableReleasesRequestOptions,
  PromotionRequest,
  RegisterReleaseRequest,
  Release,
  RollbackRequest,
} from 'backstage-plugin-immutable-releases-common';

const PLUGIN_ID = 'immutable-releases';

/**
 * A refused promotion, as the actions report it: a `ConflictError` whose
 * message says what was refused and names each failing gate, with the results
 * of every gate.
 */
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
 * The calls themselves are the typed client of the -common package; this adds
 * the token and turns an error answer into the Backstage error of its status,
 * its message saying what was being done.
 */
export class ReleasesApiClient {
  private readonly api: ImmutableReleasesApiClient;
  private readonly auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.api = new ImmutableReleasesApiClient({
      discoveryApi: options.discovery,
    });
    this.auth = options.auth;
  }

  registerRelease(
    request: RegisterReleaseRequest,
    credentials: BackstageCredentials,
  ): Promise<{ release: Release; created: boolean }> {
    return this.call(
      credentials,
      `registering ${request.version} of ${request.entityRef}`,
      options => this.api.registerRelease(request, options),
    );
  }

  getRelease(
    releaseId: string,
    credentials: BackstageCredentials,
  ): Promise<Release> {
    return this.call(credentials, `reading release ${releaseId}`, options =>
      this.api.getRelease(releaseId, options),
    );
  }

  /**
   * The entity's release with this version, looked up through the paginated
   * releases list (newest first), or undefined.
   */
  findReleaseByVersion(
    entityRef: string,
    version: string,
    credentials: BackstageCredentials,
  ): Promise<Release | undefined> {
    return this.call(
      credentials,
      `listing the releases of ${entityRef}`,
      options => this.api.findReleaseByVersion(entityRef, version, options),
    );
  }

  getEnvironments(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentsResponse> {
    return this.call(
      credentials,
      `reading the environments of ${entityRef}`,
      options => this.api.getEnvironments(entityRef, options),
    );
  }

  promote(
    request: PromotionRequest & { dryRun?: false },
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    return this.call(
      credentials,
      `promoting ${request.entityRef} to ${request.environment}`,
      options => this.api.promote(request, options),
    );
  }

  /** Evaluates every gate of a promotion without starting anything. */
  async evaluatePromotion(
    request: PromotionRequest,
    credentials: BackstageCredentials,
  ): Promise<GateResult[]> {
    const { gates } = await this.call(
      credentials,
      `evaluating the gates of promoting ${request.entityRef} to ${request.environment}`,
      options => this.api.dryRunPromotion(request, options),
    );
    return gates;
  }

  rollback(
    request: RollbackRequest,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    return this.call(
      credentials,
      `rolling back ${request.environment} of ${request.entityRef}`,
      options => this.api.rollback(request, options),
    );
  }

  getDeployment(
    deploymentId: string,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    return this.call(
      credentials,
      `reading deployment ${deploymentId}`,
      options => this.api.getDeployment(deploymentId, options),
    );
  }

  private async call<T>(
    credentials: BackstageCredentials,
    what: string,
    send: (options: ImmutableReleasesRequestOptions) => Promise<T>,
  ): Promise<T> {
    if (this.auth.isPrincipal(credentials, 'none')) {
      throw new NotAllowedError(
        `${what} needs a signed-in user: the task has no initiator credentials`,
      );
    }
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: PLUGIN_ID,
    });
    try {
      return await send({ token });
    } catch (error) {
      throw describedError(error, what);
    }
  }
}

/** An error answer of the backend as the Backstage error of its status, saying what failed. */
function describedError(error: unknown, what: string): unknown {
  if (RefusedByGates.is(error)) {
    return new GatesRefusedError(`${what} was ${error.message}`, error.gates);
  }
  if (!ResponseError.is(error)) {
    return error;
  }
  const message = `${what} failed: ${error.cause.message}`;
  switch (error.statusCode) {
    case 400:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return new Error(
        `${what} failed with HTTP ${error.statusCode}: ${error.cause.message}`,
      );
  }
}
