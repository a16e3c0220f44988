import {
  ChainVerification,
  Page,
  RecordedReleaseEvent,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { PageRequest } from './pagination';

/** A page of events, newest first unless `order` says `oldest`. */
export interface EventPageRequest extends PageRequest {
  order?: 'newest' | 'oldest';
}

/** The append-only audit trail, a hash chain per entity. */
export interface EventStore {
  /**
   * Appends the events in their order, each chained after its entity's
   * previous event; the appends of one entity are serialised by the database.
   */
  append(events: ReleaseEvent[]): Promise<RecordedReleaseEvent[]>;
  /** Events of an entity with their hashes. */
  listEvents(
    entityRef: string,
    page: EventPageRequest,
  ): Promise<Page<RecordedReleaseEvent>>;
  /** Recomputes the entity's chain, oldest first, a batch at a time. */
  verifyChain(entityRef: string): Promise<ChainVerification>;
}
