import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ObservationSource } from 'backstage-plugin-immutable-releases-node';
import { ENGINE_ACTOR } from '../audit/AuditTrail';
import { ObservationService } from './ObservationService';
import { ObservationTargets } from './ObservationTargets';

/** How often drift is re-evaluated without new observations (staleness). */
export const DRIFT_SWEEP_FREQUENCY = { minutes: 1 };

/**
 * Runs the observation sources: polled ones as global scheduled tasks (one
 * replica at a time), pushed ones started once; and the sweep that records
 * drift changes no observation triggers (an observation going stale).
 */
export class ObservationScheduler {
  static create(options: {
    sources: ObservationSource[];
    observations: ObservationService;
    targets: ObservationTargets;
    scheduler: SchedulerService;
    logger: LoggerService;
  }): ObservationScheduler {
    const ids = new Set<string>();
    for (const source of options.sources) {
      if (ids.has(source.id)) {
        throw new Error(`observation source '${source.id}' is added twice`);
      }
      if (!source.poll && !source.start) {
        throw new Error(
          `observation source '${source.id}' has neither poll nor start`,
        );
      }
      ids.add(source.id);
    }
    return new ObservationScheduler(options);
  }

  private constructor(
    private readonly options: {
      sources: ObservationSource[];
      observations: ObservationService;
      targets: ObservationTargets;
      scheduler: SchedulerService;
      logger: LoggerService;
    },
  ) {}

  async start(): Promise<void> {
    const { sources, observations, scheduler, logger } = this.options;
    for (const source of sources) {
      if (source.poll) {
        await scheduler.scheduleTask({
          id: taskIdOf(source.id),
          scope: 'global',
          ...source.poll.schedule,
          fn: signal => this.poll(source, signal),
        });
      }
      if (source.start) {
        await source.start({
          sink: observations.sinkFor(source.id),
          logger: logger.child({ observationSource: source.id }),
        });
      }
    }
    await scheduler.scheduleTask({
      id: 'immutable-releases-drift-sweep',
      scope: 'global',
      frequency: DRIFT_SWEEP_FREQUENCY,
      timeout: { minutes: 5 },
      initialDelay: { seconds: 30 },
      fn: () => this.sweep(),
    });
  }
  /** Stops sources that push, so nothing writes while the backend shuts down. */
  async stop(): Promise<void> {
    const { sources, logger } = this.options;
    for (const source of sources) {
      await source
        .stop?.()
        .catch(error =>
          logger.warn(
            `Observation source ${source.id} did not stop cleanly`,
            error,
          ),
        );
    }
  }

  /** One run of a polled source; failures are logged, never thrown at the scheduler. */
  async poll(source: ObservationSource, signal: AbortSignal): Promise<void> {
    const { observations, targets, logger } = this.options;
    const log = logger.child({ observationSource: source.id });
    try {
      await source.poll!.observe({
        targets: await targets.list({
          environments: source.poll!.environments,
          pipeline: source.poll!.pipeline,
        }),
        sink: observations.sinkFor(source.id),
        signal,
        logger: log,
      });
    } catch (error) {
      log.error(`observation source ${source.id} failed`, error as Error);
    }
  }

  async sweep(): Promise<void> {
    try {
      await this.options.observations.sweep(ENGINE_ACTOR);
    } catch (error) {
      this.options.logger.error('drift sweep failed', error as Error);
    }
  }
}

/** The scheduler task id of a polled source. */
export function taskIdOf(sourceId: string): string {
  return `immutable-releases-observe-${sourceId.replace(/[^\w.-]/g, '-')}`;
}
