import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { signalFor } from './signalRules';

/**
 * Publishes a signal for each committed event that changes what an entity's
 * page shows. Signals are a convenience for open pages: one that cannot be
 * published (no signals backend, a backend shutting down) is logged at debug
 * level and dropped.
 */
export class ReleaseSignals {
  static create(options: {
    signals: SignalsService;
    logger: LoggerService;
  }): ReleaseSignals {
    return new ReleaseSignals(options.signals, options.logger);
  }

  private constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  async publish(events: ReadonlyArray<ReleaseEvent>): Promise<void> {
    for (const event of events) {
      const signal = signalFor(event);
      if (!signal) {
        continue;
      }
      try {
        await this.signals.publish(signal);
      } catch (error) {
        this.logger.debug(
          `Could not publish the signal ${event.type} on ${signal.channel}`,
          error as Error,
        );
      }
    }
  }
}
