import {
  GateResult,
  Release,
  ReleaseRevocation,
} from 'backstage-plugin-immutable-releases-common';
import { verifyAttestations } from '../attestations/verifyAttestations';
import { Stores } from '../database/ReleasesDatabase';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';
import {
  PROMOTION_GATES,
  PromotionGateSnapshot,
  ROLLBACK_GATES,
  RollbackGateSnapshot,
  UpstreamHistory,
} from './gates';

/** How many successful upstream deployments the soak-time gate looks back over. */
const SOAK_HISTORY_LIMIT = 200;

export interface GateRequest {
  release: Release;
  /** Read with the release (`getReleaseAndRevocation`). */
  revocation: ReleaseRevocation | null;
  environment: EnvironmentDefinition;
  entityRef: string;
  override?: { reason: string };
  mayOverrideFreeze: boolean;
}

/**
 * Loads what the gates decide on and asks each of them. The decisions
 * themselves are the pure rules in `./gates`.
 */
export class GateEvaluator {
  constructor(
    private readonly stores: Stores,
    private readonly clock: () => Date,
  ) {}

  async evaluatePromotion(request: GateRequest): Promise<GateResult[]> {
    const snapshot = await this.promotionSnapshot(request);
    return PROMOTION_GATES.map(rule => rule(snapshot));
  }

  async evaluateRollback(release: Release): Promise<GateResult[]> {
    const snapshot = await this.rollbackSnapshot(release);
    return ROLLBACK_GATES.map(rule => rule(snapshot));
  }

  private async rollbackSnapshot(
    release: Release,
  ): Promise<RollbackGateSnapshot> {
    const revocations = await this.stores.releases.revocations([release.id]);
    return { release, revocation: revocations.get(release.id) ?? null };
  }

  private async promotionSnapshot(
    request: GateRequest,
  ): Promise<PromotionGateSnapshot> {
    const { release, revocation, environment } = request;
    const [upstream, checks, attestations] = await Promise.all([
      this.upstreamHistory(request),
      environment.requiredChecks.length > 0
        ? this.stores.releases.latestChecks([release.id])
        : new Map(),
      environment.signature
        ? this.stores.releases.listAttestations(release.id)
        : [],
    ]);
    return {
      release,
      revocation,
      environment,
      upstream,
      checks: checks.get(release.id) ?? [],
      // Verified here, outside the pure gate rules: the library's verdicts
      // are what the rules decide on.
      attestations: environment.signature
        ? verifyAttestations(attestations, environment.signature)
        : [],
      override: request.override
        ? {
            reason: request.override.reason,
            permitted: request.mayOverrideFreeze,
          }
        : null,
      now: this.clock(),
    };
  }

  private async upstreamHistory({
    release,
    environment,
    entityRef,
  }: GateRequest): Promise<UpstreamHistory | null> {
    if (!environment.from) {
      return null;
    }
    const key = { entityRef, environment: environment.from };
    const soaks = environment.soakTimeMs > 0;
    const [releaseSucceeded, latestStarted, successes] = await Promise.all([
      this.stores.deployments.hasSucceeded(release.id, environment.from),
      soaks ? this.stores.deployments.getLatestStarted(key) : undefined,
      soaks
        ? this.stores.deployments.listSucceeded(key, SOAK_HISTORY_LIMIT)
        : [],
    ]);
    return {
      environment: environment.from,
      releaseSucceeded,
      latestStarted: latestStarted
        ? {
            version: latestStarted.release.version,
            status: latestStarted.status,
          }
        : null,
      successes: successes.map(d => ({
        releaseId: d.releaseId,
        at: d.updatedAt,
      })),
    };
  }
}
