import { Knex } from 'knex';
import { InputError } from '@backstage/errors';
import { spec } from '../schema/openapi.generated';
import { EventFilter } from './EventStore';

/** The event types the backend records, as the contract lists them. */
export const KNOWN_EVENT_TYPES: readonly string[] =
  spec.components.schemas.EventType.enum;

/** A type group: the part of a type before its dot, with the dot (`deployment.`). */
const TYPE_GROUP = /^[a-z][a-z0-9-]*\.$/;
/** An exact type, `group.name`. */
const EXACT_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9_-]*$/;

/**
 * The exact types a `type` filter stands for: exact types as they are (an
 * old trail may hold types no longer recorded), each group as the known types
 * of that group. Groups are expanded rather than matched with LIKE so that
 * the query can use the (entity_ref, type, seq) index for rare types.
 */
export function typesOfFilter(filter: readonly string[]): string[] {
  const types = new Set<string>();
  for (const entry of filter) {
    if (TYPE_GROUP.test(entry)) {
      const group = KNOWN_EVENT_TYPES.filter(type => type.startsWith(entry));
      if (group.length === 0) {
        throw new InputError(
          `type '${entry}' is no group of event types; the groups are ${knownGroups().join(
            ', ',
          )}`,
        );
      }
      group.forEach(type => types.add(type));
    } else if (EXACT_TYPE.test(entry)) {
      types.add(entry);
    } else {
      throw new InputError(
        `type '${entry}' is neither an event type (deployment.failed) nor a group of them (deployment.)`,
      );
    }
  }
  return [...types];
}

function knownGroups(): string[] {
  return [...new Set(KNOWN_EVENT_TYPES.map(type => `${type.split('.')[0]}.`))];
}

/** A filter of events with its `type` entries expanded to exact types (`typesOfFilter`). */
export type ExpandedEventFilter = Omit<EventFilter, 'type'> & {
  types?: string[];
};

/** Expands the filter's types, refusing an entry that is no type nor group of them. */
export function expandEventFilter(filter: EventFilter): ExpandedEventFilter {
  return {
    environment: filter.environment,
    actor: filter.actor,
    deploymentId: filter.deploymentId,
    releaseId: filter.releaseId,
    types:
      filter.type && filter.type.length > 0
        ? typesOfFilter(filter.type)
        : undefined,
  };
}

/** The column each of the filter's exact conditions is on, with its value (undefined when not set). */
function columnConditions(filter: ExpandedEventFilter) {
  return {
    environment: filter.environment,
    actor: filter.actor,
    deployment_id: filter.deploymentId,
    release_id: filter.releaseId,
  };
}

/** Whether `filter` keeps only some events (it has a condition). */
export function filtersEvents(filter: ExpandedEventFilter): boolean {
  return (
    filter.types !== undefined ||
    Object.values(columnConditions(filter)).some(value => value !== undefined)
  );
}

/** Narrows a query on the events table to the events `filter` keeps. */
export function whereEventsMatch(
  query: Knex.QueryBuilder,
  filter: ExpandedEventFilter,
): Knex.QueryBuilder {
  for (const [column, value] of Object.entries(columnConditions(filter))) {
    if (value !== undefined) {
      query.where(column, value);
    }
  }
  if (filter.types) {
    query.whereIn('type', filter.types);
  }
  return query;
}
