import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeliveryMetrics,
  Deployment,
  DryRunResult,
  EnvironmentsResponse,
  EventFilter,
  FleetEntity,
  FleetFilter,
  GateResult,
  GatesRefusedError,
  Page,
  PageOptions,
  PromotionRequest,
  Release,
  ReleaseEvent,
  RollbackRequest,
} from 'backstage-plugin-immutable-releases-common';

export type {
  DryRunResult,
  EventFilter,
  FleetFilter,
  PageOptions,
} from 'backstage-plugin-immutable-releases-common';

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
  /** A page of the entity's deployments, newest first, optionally of one environment or release. */
  listDeployments(
    entityRef: string,
    options?: PageOptions & { environment?: string; releaseId?: string },
  ): Promise<Page<Deployment>>;
  getDeployment(deploymentId: string): Promise<Deployment>;
  /**
   * A page of the entity's audit events, newest first, of those the filters keep (by
   * environment, type or type group such as `deployment.`, actor, deployment, release).
   */
  listEvents(
    entityRef: string,
    options?: PageOptions & EventFilter,
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
   * Requests a promotion. A promotion refused by its gates rejects with a `GatesRefusedError`
   * (from the -common package) whose gates {@link gatesOfPromotionError} returns.
   */
  promote(request: Omit<PromotionRequest, 'dryRun'>): Promise<Deployment>;
  rollback(request: RollbackRequest): Promise<Deployment>;
  /**
   * A page of the pending deployments the signed-in user may approve or reject, newest first.
   * A page may be empty while `nextCursor` is set.
   */
  listApprovals(options?: PageOptions): Promise<Page<Deployment>>;
  decideApproval(
    deploymentId: string,
    decision: { decision: 'approve' | 'reject'; comment?: string },
  ): Promise<Deployment>;
  cancelDeployment(deploymentId: string, reason?: string): Promise<Deployment>;
  /**
   * A page of the fleet, in entity ref order: each entity's environments with their current
   * version, drift status, hold and pending count. A page may hold fewer entities than asked
   * for, even none, while `nextCursor` is set.
   */
  listFleet(
    filter?: FleetFilter,
    options?: PageOptions,
  ): Promise<Page<FleetEntity>>;
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
  return GatesRefusedError.is(error) ? error.gates : undefined;
}
