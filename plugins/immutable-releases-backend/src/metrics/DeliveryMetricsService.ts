import { InputError } from '@backstage/errors';
import { DeliveryMetrics } from 'backstage-plugin-immutable-releases-common';
import { ExecutedDeployment } from '../database/DeliveryHistoryStore';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { EntityPipelines, findEnvironment } from '../pipelines/EntityPipelines';

const DAY_MS = 24 * 3_600_000;
export const DEFAULT_METRICS_DAYS = 30;
export const MAX_METRICS_DAYS = 365;

/** The four DORA figures, without the environment and window they are about. */
export type DeliveryFigures = Omit<DeliveryMetrics, 'environment' | 'days'>;

/**
 * Delivery (DORA) metrics of one environment over the last `days` days,
 * from the deployments that were carried out there (README, "Delivery metrics").
 */
export class DeliveryMetricsService {
  static create(options: {
    db: ReleasesDatabase;
    entities: EntityPipelines;
    clock: () => Date;
  }): DeliveryMetricsService {
    return new DeliveryMetricsService(
      options.db,
      options.entities,
      options.clock,
    );
  }

  private constructor(
    private readonly db: ReleasesDatabase,
    private readonly entities: EntityPipelines,
    private readonly clock: () => Date,
  ) {}

  async compute(
    entityRef: string,
    query: { environment?: string; days?: number },
  ): Promise<DeliveryMetrics> {
    const days = query.days ?? DEFAULT_METRICS_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_METRICS_DAYS) {
      throw new InputError(
        `days must be a whole number from 1 to ${MAX_METRICS_DAYS}, got ${days}`,
      );
    }
    const resolved = await this.entities.resolve(entityRef);
    const environments = resolved.pipeline.environments;
    const environment =
      query.environment !== undefined
        ? findEnvironment(resolved.pipeline, query.environment).name
        : environments[environments.length - 1].name;
    const since = new Date(this.clock().getTime() - days * DAY_MS);
    const history = await this.db.deliveryHistory.listExecutedSince(
      { entityRef: resolved.entityRef, environment },
      since.toISOString(),
    );
    return { environment, days, ...computeDeliveryFigures(history, days) };
  }
}

/**
 * The figures in one pass over the executed deployments of a window, oldest
 * (by finish time) first:
 *
 * - deploymentFrequency: succeeded deployments (promotions and rollbacks) per day;
 * - leadTimeSeconds: for succeeded promotions, from `source.committedAt` (else
 *   the release's creation) to success; nearest-rank p50 and p90;
 * - changeFailureRate: deployments that failed or were rollbacks, over all
 *   deployments that ended succeeded or failed;
 * - timeToRestoreSeconds: from a failure (its end) or a rollback (its request),
 *   to the next success in the environment; incidents before the same success
 *   count once, from the earliest; nearest-rank p50.
 */
export function computeDeliveryFigures(
  history: ExecutedDeployment[],
  days: number,
): DeliveryFigures {
  let succeeded = 0;
  let failures = 0;
  const leadTimes: number[] = [];
  const restoreTimes: number[] = [];
  let incidentStart: number | null = null;

  for (const deployment of history) {
    const finishedAt = Date.parse(deployment.finishedAt);
    const isRollback = deployment.kind === 'rollback';
    if (deployment.status === 'failed' || isRollback) {
      failures++;
      const start = isRollback
        ? Date.parse(deployment.requestedAt)
        : finishedAt;
      incidentStart =
        incidentStart === null ? start : Math.min(incidentStart, start);
    }
    if (deployment.status !== 'succeeded') {
      continue;
    }
    succeeded++;
    if (incidentStart !== null) {
      restoreTimes.push((finishedAt - incidentStart) / 1000);
      incidentStart = null;
    }
    if (!isRollback) {
      const committedAt = Date.parse(
        deployment.releaseSource.committedAt ?? '',
      );
      const start = Number.isNaN(committedAt)
        ? Date.parse(deployment.releaseCreatedAt)
        : committedAt;
      if (finishedAt >= start) {
        leadTimes.push((finishedAt - start) / 1000);
      }
    }
  }

  return {
    deploymentFrequency: succeeded / days,
    leadTimeSeconds: {
      p50: percentile(leadTimes, 0.5),
      p90: percentile(leadTimes, 0.9),
    },
    changeFailureRate: history.length > 0 ? failures / history.length : null,
    timeToRestoreSeconds: { p50: percentile(restoreTimes, 0.5) },
  };
}

/** Nearest-rank percentile: the smallest value with at least `p` of the values at or below it. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}
