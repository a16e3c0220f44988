import { Page, ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { PageRequest } from './pagination';

/** The append-only audit trail. */
export interface EventStore {
  /** Appends the events in their order. */
  append(events: ReleaseEvent[]): Promise<void>;
  /** Events of an entity, newest first. */
  listEvents(entityRef: string, page: PageRequest): Promise<Page<ReleaseEvent>>;
}
