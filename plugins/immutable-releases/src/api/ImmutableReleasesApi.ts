import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeliveryMetrics,
  Deployment,
  EnvironmentsResponse,
  GateResult,
  Page,
  PromotionRequest,
  Release,
  ReleaseEvent,
  RollbackRequest,
} from 'backstage-plugin-immutable-releases-common';

/** Paging of a list call: page size (1–200) and the `nextCursor` of the previous page. @public */
export interface PageOptions {
  limit?: number;
  cursor?: string;
}

/** The answer of a promotion dry run: every gate with its verdict; nothing was stored. @public */
export interface DryRunResult {
  gates: GateResult[];
}

/**
 * The Immutable Releases REST API as the frontend uses it. Every method rejects with a
 * `ResponseError` (from `@backstage/errors`) when the backend answers with an error.
 *
 * @public
 */
export interface ImmutableReleasesApi {
  /** A page of the entity's releases, newest first. */
  listReleases(
    entityRef: string,
    options?: PageOptions,
  ): Promise<Page<Release>>;
  /** One release with its checks, revocation and latest deployment per environment. */
  getRelease(releaseId: string): Promise<Release>;
  /** The entity's pipeline with the status of each environment, in pipeline order. */
  getEnvironments(entityRef: string): Promise<EnvironmentsResponse>;
  /** A page of the entity's deployments, newest first, optionally of one environment. */
  listDeployments(
    entityRef: string,
    options?: PageOptions & { environment?: string },
  ): Promise<Page<Deployment>>;
  getDeployment(deploymentId: string): Promise<Deployment>;
  /** A page of the entity's audit events, newest first. */
  listEvents(
    entityRef: string,
    options?: PageOptions,
  ): Promise<Page<ReleaseEvent>>;
  /** DORA figures of one environment (default: the last of the pipeline) over `days` (default 30). */
  getMetrics(
    entityRef: string,
    options?: { environment?: string; days?: number },
  ): Promise<DeliveryMetrics>;
  /** Evaluates the gates of a promotion without storing anything. */
  dryRunPromotion(
    request: Omit<PromotionRequest, 'dryRun'>,
  ): Promise<DryRunResult>;
  /**
   * Requests a promotion. A refused promotion rejects with a `ResponseError` of status 409
   * whose gates {@link gatesOfPromotionError} returns.
   */
  promote(request: Omit<PromotionRequest, 'dryRun'>): Promise<Deployment>;
  rollback(request: RollbackRequest): Promise<Deployment>;
  decideApproval(
    deploymentId: string,
    decision: { decision: 'approve' | 'reject'; comment?: string },
  ): Promise<Deployment>;
  cancelDeployment(deploymentId: string, reason?: string): Promise<Deployment>;
  /** Lets automatic promotion into a held environment resume. */
  releaseHold(entityRef: string, environment: string): Promise<void>;
  revokeRelease(releaseId: string, reason: string): Promise<Release>;
}

/** @public */
export const immutableReleasesApiRef = createApiRef<ImmutableReleasesApi>({
  id: 'plugin.immutable-releases.service',
});

/**
 * The gates of a promotion the backend refused with 409 (they travel at the top level of the
 * error body), or undefined for any other error.
 *
 * @public
 */
export function gatesOfPromotionError(
  error: unknown,
): GateResult[] | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const { statusCode, body } = error as {
    statusCode?: unknown;
    body?: { gates?: unknown };
  };
  if (statusCode !== 409 || !Array.isArray(body?.gates)) {
    return undefined;
  }
  return body!.gates as GateResult[];
}
