import { randomUUID } from 'node:crypto';
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  RecordedReleaseEvent,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { DeploymentIdentity } from '../database/DeploymentStore';
import { Stores } from '../database/ReleasesDatabase';

export type NewEvent = Omit<ReleaseEvent, 'id' | 'at'> & { at?: string };

/** The actor recorded for what the engine does by itself. */
export const ENGINE_ACTOR = 'plugin:immutable-releases';

/**
 * An event about a deployment, naming its entity, environment and release;
 * its details carry the deployment's kind and version, so that the event
 * reads as a sentence on its own ("alice approved 1.4.0 for production").
 */
export function eventFor(
  deployment: DeploymentIdentity,
  type: string,
  actor: string,
  details: Record<string, unknown>,
): NewEvent {
  return {
    type,
    entityRef: deployment.entityRef,
    environment: deployment.environment,
    releaseId: deployment.releaseId,
    deploymentId: deployment.id,
    actor,
    details: {
      kind: deployment.kind,
      version: deployment.release.version,
      ...details,
    },
  };
}

/** Told of events once the transaction that recorded them committed. */
export type PublishedEventsListener = (
  events: ReadonlyArray<ReleaseEvent>,
) => Promise<void>;

const HIGH_SEVERITY_EVENTS = new Set([
  'release.revoked',
  'deployment.failed',
  'hold.set',
  'freeze.overridden',
]);

/**
 * Writes the audit trail: each event lands in the events table inside the
 * caller's transaction, and reaches Backstage's auditor and the listeners
 * once that commits.
 */
export class AuditTrail {
  private readonly listeners: Array<{
    listener: PublishedEventsListener;
    /** Settles once the listener has been told of everything published so far. */
    told: Promise<void>;
  }> = [];
  /** Settles once everything published so far reached the auditor and the listeners. */
  private delivered: Promise<void> = Promise.resolve();

  constructor(
    private readonly auditor: AuditorService,
    private readonly logger: LoggerService,
    private readonly clock: () => Date,
  ) {}

  /** Appends the events in the transaction of `stores`; returns them for `publish`. */
  async record(
    stores: Stores,
    events: NewEvent[],
  ): Promise<RecordedReleaseEvent[]> {
    return stores.events.append(this.stamp(events));
  }

  /** Gives events their id and time, for a write that stores them itself. */
  stamp(events: NewEvent[]): ReleaseEvent[] {
    return events.map(event => ({
      ...event,
      id: randomUUID(),
      at: event.at ?? this.clock().toISOString(),
    }));
  }

  /**
   * Tells `listener` of every batch of committed events, in the order they
   * were published. It runs after `publish` returned, so what it does (a
   * notification, a signal) neither delays nor fails the change that made
   * the events; what it throws is logged.
   */
  onPublished(listener: PublishedEventsListener): void {
    this.listeners.push({ listener, told: Promise.resolve() });
  }

  /** Waits until every listener has been told of the events published so far. */
  async whenListenersTold(): Promise<void> {
    await Promise.all(this.listeners.map(({ told }) => told));
  }

  /**
   * Sends committed events to the auditor service and then to the listeners,
   * after those of every earlier call: a deployment begun before its
   * request's events are published cannot have its end told first. A failure
   * there is logged, not thrown.
   */
  publish(events: ReleaseEvent[]): Promise<void> {
    const delivery = this.delivered.then(() => this.deliver(events));
    // A delivery that failed all the same does not hold up the later ones.
    this.delivered = delivery.catch(() => {});
    return delivery;
  }

  private async deliver(events: ReleaseEvent[]): Promise<void> {
    for (const event of events) {
      try {
        const auditorEvent = await this.auditor.createEvent({
          eventId: event.type.replace(/\./g, '-'),
          severityLevel: HIGH_SEVERITY_EVENTS.has(event.type)
            ? 'high'
            : 'medium',
          meta: {
            eventId: event.id,
            entityRef: event.entityRef,
            actor: event.actor,
            ...(event.environment ? { environment: event.environment } : {}),
            ...(event.releaseId ? { releaseId: event.releaseId } : {}),
            ...(event.deploymentId ? { deploymentId: event.deploymentId } : {}),
            details: event.details as JsonObject,
          },
        });
        await auditorEvent.success();
      } catch (error) {
        this.logger.warn(
          `Could not send audit event ${event.type} to the auditor`,
          {
            error: String(error),
          },
        );
      }
    }
    if (events.length > 0) {
      this.tellListeners(events);
    }
  }

  private tellListeners(events: ReadonlyArray<ReleaseEvent>) {
    for (const entry of this.listeners) {
      entry.told = entry.told
        .then(() => entry.listener(events))
        .catch((error: Error) =>
          this.logger.warn(
            `A listener of committed audit events failed on ${events
              .map(event => event.type)
              .join(', ')}`,
            error,
          ),
        );
    }
  }
}
