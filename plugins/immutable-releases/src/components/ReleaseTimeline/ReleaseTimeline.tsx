import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  List,
  ListSubheader,
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { EventFilter } from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { PageControls } from '../shared/PageControls';
import { useReleaseLinks } from '../shared/releaseLinks';
import { useCursorPagination } from '../shared/useCursorPagination';
import { groupByDay } from './eventDays';
import { TimelineEventLine } from './TimelineEventLine';
import { TimelineFilterBar } from './TimelineFilterBar';
import { NO_FILTERS, TimelineFilters, toEventFilter } from './timelineFilters';

/** Events per page of the timeline. */
export const EVENTS_PAGE_SIZE = 25;
/** How long typing in the actor field pauses before the timeline is asked again. */
export const ACTOR_TYPING_PAUSE_MS = 400;

/** @public */
export interface ReleaseTimelineProps {
  entityRef: string;
  /** Changes when the caller knows something happened, to reload the page shown. */
  refreshKey?: number;
  /** The environments to filter by, where the caller has them; otherwise they are asked for. */
  environments?: string[];
}

/**
 * The entity's deployment and audit trail as sentences, newest first, grouped by day, one
 * server page at a time; filtered on the server by environment, kind of event and actor.
 *
 * @public
 */
export function ReleaseTimeline(props: ReleaseTimelineProps) {
  const { entityRef, refreshKey, environments: given } = props;
  const api = useApi(immutableReleasesApiRef);
  const [filters, setFilters] = useState<TimelineFilters>(NO_FILTERS);
  const [actorTyped, setActorTyped] = useState('');
  useDebounce(
    () => setFilters(f => ({ ...f, actor: actorTyped })),
    ACTOR_TYPING_PAUSE_MS,
    [actorTyped],
  );
  const filter = useMemo(() => toEventFilter(filters), [filters]);
  // The environments to choose from; the timeline works without them.
  const environments = useAsync(
    async () =>
      given ??
      (await api.getEnvironments(entityRef)).environments.map(e => e.name),
    // by content: a caller's new array of the same names asks nothing again
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, given?.join('\n')],
  );

  // The actor applies once typing pauses (or at once when cleared); the other filters at once.
  const choose = (chosen: TimelineFilters) => {
    setActorTyped(chosen.actor);
    setFilters(applied => ({
      ...chosen,
      actor: chosen.actor ? applied.actor : '',
    }));
  };

  return (
    <Box>
      <TimelineFilterBar
        filters={{ ...filters, actor: actorTyped }}
        environments={environments.value ?? []}
        onChange={choose}
      />
      <TimelineEvents
        // a new filter starts again at the first page
        key={JSON.stringify(filter)}
        entityRef={entityRef}
        refreshKey={refreshKey}
        filter={filter}
        onClearFilters={() => choose(NO_FILTERS)}
      />
    </Box>
  );
}

function isFiltered(filter: EventFilter): boolean {
  return Object.values(filter).some(value => value !== undefined);
}

/**
 * The pages of events the filter keeps, by day; also the activity of one deployment or
 * release on its page.
 */
export function TimelineEvents(props: {
  entityRef: string;
  refreshKey?: number;
  filter: EventFilter;
  /** Offered when the filter leaves nothing; without it the filter is fixed. */
  onClearFilters?: () => void;
}) {
  const { entityRef, refreshKey, filter, onClearFilters } = props;
  const api = useApi(immutableReleasesApiRef);
  const links = useReleaseLinks(entityRef);
  const pages = useCursorPagination(
    cursor =>
      api.listEvents(entityRef, {
        ...filter,
        limit: EVENTS_PAGE_SIZE,
        cursor,
      }),
    [api, entityRef, refreshKey],
  );
  const clearable = onClearFilters !== undefined && isFiltered(filter);
  const days = useMemo(
    () => groupByDay(pages.items ?? [], new Date()),
    [pages.items],
  );

  return (
    <Box>
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.loading && <Progress />}
      {pages.items && pages.items.length === 0 && !clearable && (
        <Typography color="textSecondary">No events yet.</Typography>
      )}
      {pages.items && pages.items.length === 0 && clearable && (
        <Box display="flex" alignItems="center" gridGap={8}>
          <Typography color="textSecondary">
            No events match these filters.
          </Typography>
          <Button size="small" color="primary" onClick={onClearFilters}>
            Show all events
          </Button>
        </Box>
      )}
      {days.length > 0 && (
        <List dense aria-label="audit timeline">
          {days.map(day => (
            <li key={day.day} aria-label={day.label}>
              <List dense disablePadding>
                <ListSubheader disableSticky>{day.label}</ListSubheader>
                {day.items.map(event => (
                  <TimelineEventLine
                    key={event.id}
                    event={event}
                    links={links}
                  />
                ))}
              </List>
            </li>
          ))}
        </List>
      )}
      <PageControls label="timeline pages" pages={pages} />
    </Box>
  );
}
