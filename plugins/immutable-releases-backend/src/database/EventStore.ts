import { Page, ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { PageRequest } from './pagination';

/** The append-only audit trail. */
export interface EventStore {
  append(event: ReleaseEvent): Promise<void>;
  /** Events of an entity, newest first. */
  listEvents(entityRef: string, page: PageRequest): Promise<Page<ReleaseEvent>>;
}
