import { randomUUID } from 'node:crypto';
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  Deployment,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { Stores } from '../database/ReleasesDatabase';

export type NewEvent = Omit<ReleaseEvent, 'id' | 'at'> & { at?: string };

/** The actor recorded for what the engine does by itself. */
export const ENGINE_ACTOR = 'plugin:immutable-releases';

/** An event about a deployment, naming its entity, environment and release. */
export function eventFor(
  deployment: Deployment,
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
    details,
  };
}

const HIGH_SEVERITY_EVENTS = new Set([
  'release.revoked',
  'deployment.failed',
  'hold.set',
  'freeze.overridden',
]);

/**
 * Writes the audit trail: each event lands in the events table inside the
 * caller's transaction, and reaches Backstage's auditor once that commits.
 */
export class AuditTrail {
  constructor(
    private readonly auditor: AuditorService,
    private readonly logger: LoggerService,
    private readonly clock: () => Date,
  ) {}

  /** Appends the events in the transaction of `stores`; returns them for `publish`. */
  async record(stores: Stores, events: NewEvent[]): Promise<ReleaseEvent[]> {
    const recorded = this.stamp(events);
    await stores.events.append(recorded);
    return recorded;
  }

  /** Gives events their id and time, for a write that stores them itself. */
  stamp(events: NewEvent[]): ReleaseEvent[] {
    return events.map(event => ({
      ...event,
      id: randomUUID(),
      at: event.at ?? this.clock().toISOString(),
    }));
  }

  /** Sends committed events to the auditor service; a failure there is logged, not thrown. */
  async publish(events: ReleaseEvent[]): Promise<void> {
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
  }
}
