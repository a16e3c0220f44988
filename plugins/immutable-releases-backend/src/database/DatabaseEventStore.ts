import { Knex } from 'knex';
import { Page, ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { EventStore } from './EventStore';
import { fetchPage, PageRequest } from './pagination';

interface EventRow {
  seq: number;
  id: string;
  type: string;
  entity_ref: string;
  environment: string | null;
  release_id: string | null;
  deployment_id: string | null;
  actor: string;
  at: string;
  details: string;
}

export function toEventRow(event: ReleaseEvent): Omit<EventRow, 'seq'> {
  return {
    id: event.id,
    type: event.type,
    entity_ref: event.entityRef,
    environment: event.environment ?? null,
    release_id: event.releaseId ?? null,
    deployment_id: event.deploymentId ?? null,
    actor: event.actor,
    at: event.at,
    details: JSON.stringify(event.details),
  };
}

export class DatabaseEventStore implements EventStore {
  constructor(private readonly db: Knex) {}

  async append(events: ReleaseEvent[]): Promise<void> {
    // Rows per statement: well under the bound-parameter limits (9 columns).
    for (let i = 0; i < events.length; i += 500) {
      await this.db('events').insert(events.slice(i, i + 500).map(toEventRow));
    }
  }

  async listEvents(
    entityRef: string,
    page: PageRequest,
  ): Promise<Page<ReleaseEvent>> {
    return fetchPage<EventRow, ReleaseEvent>(
      this.db('events').where({ entity_ref: entityRef }),
      page,
      rows =>
        rows.map(row => ({
          id: row.id,
          type: row.type,
          entityRef: row.entity_ref,
          ...(row.environment ? { environment: row.environment } : {}),
          ...(row.release_id ? { releaseId: row.release_id } : {}),
          ...(row.deployment_id ? { deploymentId: row.deployment_id } : {}),
          actor: row.actor,
          at: row.at,
          details: JSON.parse(row.details),
        })),
    );
  }
}
