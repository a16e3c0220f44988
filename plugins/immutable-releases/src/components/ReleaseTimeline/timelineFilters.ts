import { EventFilter } from 'backstage-plugin-immutable-releases-common';

/** The kinds of event a person filters the timeline by, each a few event type groups. */
export const EVENT_TYPE_GROUPS = [
  { id: 'releases', label: 'Releases', types: ['release.'] },
  {
    id: 'deployments',
    label: 'Deployments',
    types: ['deployment.', 'promotion.', 'rollback.'],
  },
  { id: 'approvals', label: 'Approvals', types: ['approval.'] },
  { id: 'holds', label: 'Holds and freezes', types: ['hold.', 'freeze.'] },
  { id: 'drift', label: 'Drift', types: ['drift.'] },
  {
    id: 'checks',
    label: 'Checks and attestations',
    types: ['check.', 'attestation.'],
  },
] as const;

export type EventTypeGroupId = (typeof EVENT_TYPE_GROUPS)[number]['id'];

/** What the timeline is filtered by, as chosen; empty strings choose nothing. */
export interface TimelineFilters {
  environment: string;
  group: EventTypeGroupId | '';
  /** As typed: a user name (`alice`) or an entity ref or service subject. */
  actor: string;
}

export const NO_FILTERS: TimelineFilters = {
  environment: '',
  group: '',
  actor: '',
};

export function hasFilters(filters: TimelineFilters): boolean {
  return Boolean(filters.environment || filters.group || filters.actor.trim());
}

/**
 * The actor as events name it: a bare name is a user in the default namespace
 * (`alice` → `user:default/alice`); anything with a colon is taken as typed.
 */
export function actorRef(typed: string): string | undefined {
  const actor = typed.trim();
  if (!actor) {
    return undefined;
  }
  if (actor.includes(':')) {
    return actor;
  }
  return actor.includes('/') ? `user:${actor}` : `user:default/${actor}`;
}

/** The server's filter for what was chosen. */
export function toEventFilter(filters: TimelineFilters): EventFilter {
  const group = EVENT_TYPE_GROUPS.find(each => each.id === filters.group);
  return {
    environment: filters.environment || undefined,
    type: group ? [...group.types] : undefined,
    actor: actorRef(filters.actor),
  };
}
