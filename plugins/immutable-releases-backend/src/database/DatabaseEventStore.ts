import { Knex } from 'knex';
import {
  ChainVerification,
  Page,
  RecordedReleaseEvent,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { ChainVerifier, eventHash } from '../audit/eventChain';
import { chunks } from './chunks';
import { EventPageRequest, EventStore } from './EventStore';
import {
  expandEventFilter,
  ExpandedEventFilter,
  filtersEvents,
  whereEventsMatch,
} from './eventFilter';
import { fetchPage, whereEntityInSeqOrder, withinPage } from './pagination';
import { prepared, preparedIfFew } from './postgresStatements';
import {
  columnsOf,
  compiledOnce,
  rowsOf,
  StatementParams,
} from './compiledStatements';

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
  prev_hash: string | null;
  hash: string;
}

export type HeadRow = {
  entity_ref: string;
  head_hash: string | null;
  head_event_id: string | null;
};

/** Every column of `EventRow`: the page statement is prepared, and so names them. */
const EVENT_COLUMNS = Object.keys({
  seq: true,
  id: true,
  type: true,
  entity_ref: true,
  environment: true,
  release_id: true,
  deployment_id: true,
  actor: true,
  at: true,
  details: true,
  prev_hash: true,
  hash: true,
} satisfies Record<keyof EventRow, true>);

/**
 * The events an entity's page of events reads. Unfiltered, the most asked
 * page, it reads the same way for every entity and is prepared; a filter's
 * best index depends on its values, so a filtered page is planned each time.
 */
const pageOfEvents = compiledOnce<
  ExpandedEventFilter & {
    entityRef: string;
    rows: number;
    after?: number;
    oldestFirst: boolean;
  },
  EventRow[]
>((db, params) => {
  const direction = params.oldestFirst ? 'asc' : 'desc';
  const query = db('events').select(EVENT_COLUMNS);
  if (filtersEvents(params)) {
    whereEventsMatch(query.where({ entity_ref: params.entityRef }), params);
    return withinPage(query, params, 'seq', direction);
  }
  whereEntityInSeqOrder(db, query, 'entity_ref', params.entityRef, direction);
  return prepared(withinPage(query, params, 'seq', direction));
});

/** Rows per statement: well under the bound-parameter limits (11 columns). */
const INSERT_BATCH = 500;
/** Events read per query while verifying a chain. */
const VERIFY_BATCH = 1000;

export function toEventRow(event: RecordedReleaseEvent): Omit<EventRow, 'seq'> {
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
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

/** The event as the API answers it: what its hash is computed from, and the hashes. */
function fromEventRow(row: EventRow): RecordedReleaseEvent {
  return {
    id: row.id,
    type: row.type,
    entityRef: row.entity_ref,
    ...(row.environment !== null ? { environment: row.environment } : {}),
    ...(row.release_id !== null ? { releaseId: row.release_id } : {}),
    ...(row.deployment_id !== null ? { deploymentId: row.deployment_id } : {}),
    actor: row.actor,
    at: row.at,
    details: JSON.parse(row.details),
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

export class DatabaseEventStore implements EventStore {
  constructor(private readonly db: Knex) {}

  async append(events: ReleaseEvent[]): Promise<RecordedReleaseEvent[]> {
    if (events.length === 0) {
      return [];
    }
    if (this.db.isTransaction) {
      return appendChained(this.db, events);
    }
    return this.db.transaction(tx => appendChained(tx, events));
  }

  async listEvents(
    entityRef: string,
    page: EventPageRequest,
  ): Promise<Page<RecordedReleaseEvent>> {
    const filter = expandEventFilter(page);
    return fetchPage<EventRow, RecordedReleaseEvent>(
      bounds =>
        pageOfEvents(this.db, {
          entityRef,
          ...filter,
          ...bounds,
          oldestFirst: page.order === 'oldest',
        }),
      page,
      rows => rows.map(fromEventRow),
    );
  }

  async verifyChain(entityRef: string): Promise<ChainVerification> {
    // The chain alone cannot show that its newest events were removed; the
    // head recorded by the last append can. It is read first: events
    // appended while the chain is walked only extend it past that head.
    const head = await this.readHead(entityRef);
    const chain = new ChainVerifier();
    let passedHead = head === undefined;
    let lastEventId: string | undefined;
    let afterSeq = 0;
    for (;;) {
      const rows: EventRow[] = await this.db('events')
        .where({ entity_ref: entityRef })
        .where('seq', '>', afterSeq)
        .orderBy('seq', 'asc')
        .limit(VERIFY_BATCH);
      for (const row of rows) {
        const reason = chain.check(fromEventRow(row));
        if (reason) {
          return {
            valid: false,
            brokenAt: row.id,
            events: chain.events,
            reason,
          };
        }
        passedHead ||= row.id === head?.eventId && row.hash === head.hash;
        lastEventId = row.id;
      }
      if (rows.length < VERIFY_BATCH) {
        break;
      }
      afterSeq = rows[rows.length - 1].seq;
    }
    if (head && !passedHead) {
      return {
        valid: false,
        brokenAt: head.eventId,
        events: chain.events,
        reason:
          'the chain does not reach the head recorded by the last append: its newest events were removed or changed',
      };
    }
    if (!head && lastEventId && !(await this.readHead(entityRef))) {
      return {
        valid: false,
        brokenAt: lastEventId,
        events: chain.events,
        reason:
          'the entity has events but no recorded chain head: the head was removed',
      };
    }
    return { valid: true, events: chain.events, head: chain.head };
  }

  private async readHead(
    entityRef: string,
  ): Promise<{ hash: string; eventId: string } | undefined> {
    const head: HeadRow | undefined = await this.db('event_chain_heads')
      .where({ entity_ref: entityRef })
      .first();
    return head?.head_hash && head.head_event_id
      ? { hash: head.head_hash, eventId: head.head_event_id }
      : undefined;
  }
}

/** Events (`event_` columns) and their heads (`head_` columns) in one statement, for PostgreSQL. */
const eventsWithHeads = compiledOnce<StatementParams, unknown>((db, params) =>
  preparedIfFew(
    upsertHeads(
      db.with('events', db('events').insert(rowsOf(params, 'event_'))),
      rowsOf(params, 'head_') as HeadRow[],
    ),
    rowsOf(params, 'event_').length,
  ),
);

const eventsAlone = compiledOnce<StatementParams, unknown>((db, params) =>
  db('events').insert(rowsOf(params)),
);

const headsAlone = compiledOnce<StatementParams, unknown>((db, params) =>
  upsertHeads(db, rowsOf(params) as HeadRow[]),
);

/** Locks (creating the missing ones) and reads the chain heads of the entities. */
const headLocks = compiledOnce<{ entityRefs: string[] }, HeadRow[]>(
  (db, { entityRefs }) =>
    preparedIfFew(
      db('event_chain_heads')
        .insert(entityRefs.map(entityRef => ({ entity_ref: entityRef })))
        .onConflict('entity_ref')
        // A write that changes nothing, for its row lock (PostgreSQL) or the
        // database's write lock (SQLite), taken before the head is read.
        .merge({ head_hash: db.raw('event_chain_heads.head_hash') })
        .returning(['entity_ref', 'head_hash', 'head_event_id']),
      entityRefs.length,
    ),
);

type ChainHeads = Map<string, { hash: string | null; eventId: string | null }>;

/**
 * Appends the events in the transaction `tx`: locks their entities' heads,
 * chains the events after them, inserts them and moves the heads.
 */
async function appendChained(
  tx: Knex,
  events: ReleaseEvent[],
): Promise<RecordedReleaseEvent[]> {
  const heads = await lockChainHeads(tx, events);
  const recorded = chainEvents(events, heads);
  const headRows = toHeadRows(heads);
  if (
    tx.client.dialect === 'postgresql' &&
    recorded.length <= INSERT_BATCH &&
    headRows.length <= INSERT_BATCH
  ) {
    // The events and their heads in one statement: one round trip.
    await eventsWithHeads(tx, {
      ...columnsOf(recorded.map(toEventRow), 'event_'),
      ...columnsOf(headRows, 'head_'),
    });
    return recorded;
  }
  for (const chunk of chunks(recorded, INSERT_BATCH)) {
    await eventsAlone(tx, columnsOf(chunk.map(toEventRow)));
  }
  for (const chunk of chunks(headRows, INSERT_BATCH)) {
    await headsAlone(tx, columnsOf(chunk));
  }
  return recorded;
}

/**
 * Locks the head of every entity of `events` (creating the missing ones) and
 * reads it, in entity order so that two appends never wait on each other
 * crosswise. A concurrent append to one of these entities waits until this
 * transaction ends, and then reads the head it wrote.
 */
export async function lockChainHeads(
  tx: Knex,
  events: ReleaseEvent[],
): Promise<ChainHeads> {
  const entityRefs = [...new Set(events.map(event => event.entityRef))].sort();
  const heads: ChainHeads = new Map();
  for (const chunk of chunks(entityRefs, INSERT_BATCH)) {
    const locked = await headLocks(tx, { entityRefs: chunk });
    for (const row of locked) {
      heads.set(row.entity_ref, {
        hash: row.head_hash,
        eventId: row.head_event_id,
      });
    }
  }
  return heads;
}

/** The events chained, in their order, after `heads`; moves `heads` to their ends. */
export function chainEvents(
  events: ReleaseEvent[],
  heads: ChainHeads,
): RecordedReleaseEvent[] {
  return events.map(event => {
    const prevHash = heads.get(event.entityRef)?.hash ?? null;
    const hash = eventHash(event, prevHash);
    heads.set(event.entityRef, { hash, eventId: event.id });
    return { ...event, hash, prevHash };
  });
}

export function toHeadRows(heads: ChainHeads): HeadRow[] {
  return [...heads].map(([entityRef, head]) => ({
    entity_ref: entityRef,
    head_hash: head.hash,
    head_event_id: head.eventId,
  }));
}

/** The statement that moves heads, on `query` (a knex, or a `with` chain on it). */
export function upsertHeads(query: Knex | Knex.QueryBuilder, rows: HeadRow[]) {
  return query
    .insert(rows)
    .into('event_chain_heads')
    .onConflict('entity_ref')
    .merge(['head_hash', 'head_event_id']);
}
