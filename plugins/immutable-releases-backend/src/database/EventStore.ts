import {
  ChainVerification,
  Page,
  RecordedReleaseEvent,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { PageRequest } from './pagination';

/**
 * Which of an entity's events a list keeps: those matching every filter
 * given. A `type` is an exact type (`deployment.failed`) or a group, the part
 * before the dot with the dot (`deployment.`); an event matches any of them.
 */
export interface EventFilter {
  environment?: string;
  type?: string[];
  actor?: string;
  deploymentId?: string;
  releaseId?: string;
}

/** A page of events, newest first unless `order` says `oldest`, of those the filter keeps. */
export interface EventPageRequest extends PageRequest, EventFilter {
  order?: 'newest' | 'oldest';
}

/** The append-only audit trail, a hash chain per entity. */
export interface EventStore {
  /**
   * Appends the events in their order, each chained after its entity's
   * previous event; the appends of one entity are serialised by the database.
   */
  append(events: ReleaseEvent[]): Promise<RecordedReleaseEvent[]>;
  /** Events of an entity with their hashes, filtered by `page`'s filters. */
  listEvents(
    entityRef: string,
    page: EventPageRequest,
  ): Promise<Page<RecordedReleaseEvent>>;
  /** Recomputes the entity's chain, oldest first, a batch at a time. */
  verifyChain(entityRef: string): Promise<ChainVerification>;
}
