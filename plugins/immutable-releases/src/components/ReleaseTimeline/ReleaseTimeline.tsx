import {
  Box,
  Chip,
  List,
  ListItem,
  ListItemText,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { formatRelativeTime } from '../shared/format';
import { PageControls } from '../shared/PageControls';
import { useCursorPagination } from '../shared/useCursorPagination';

/** Events per page of the timeline. */
export const EVENTS_PAGE_SIZE = 25;

/** @public */
export interface ReleaseTimelineProps {
  entityRef: string;
  /** Changes when the caller knows something happened, to reload the first page. */
  refreshKey?: number;
}

/** A one-line summary of an event's details: its message if any, else key=value pairs. */
export function describeEvent(event: ReleaseEvent): string {
  const { message, ...rest } = event.details as { message?: unknown };
  const pairs = Object.entries(rest)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
    );
  return [typeof message === 'string' ? message : undefined, ...pairs]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The entity's deployment and audit trail, newest first, one server page at a time.
 *
 * @public
 */
export function ReleaseTimeline(props: ReleaseTimelineProps) {
  const { entityRef, refreshKey } = props;
  const api = useApi(immutableReleasesApiRef);
  const pages = useCursorPagination(
    cursor => api.listEvents(entityRef, { limit: EVENTS_PAGE_SIZE, cursor }),
    [api, entityRef, refreshKey],
  );

  return (
    <Box>
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.loading && <Progress />}
      {pages.items && pages.items.length === 0 && (
        <Typography color="textSecondary">No events yet.</Typography>
      )}
      {pages.items && pages.items.length > 0 && (
        <List dense aria-label="audit timeline">
          {pages.items.map(event => (
            <ListItem key={event.id} divider>
              <ListItemText
                primary={
                  <Box display="flex" alignItems="center" gridGap={8}>
                    <Chip size="small" label={event.type} />
                    {event.environment && (
                      <Chip
                        size="small"
                        variant="outlined"
                        label={event.environment}
                      />
                    )}
                    <Typography variant="body2">{event.actor}</Typography>
                    <Tooltip title={event.at}>
                      <Typography variant="caption" color="textSecondary">
                        {formatRelativeTime(event.at)}
                      </Typography>
                    </Tooltip>
                  </Box>
                }
                secondary={describeEvent(event) || undefined}
              />
            </ListItem>
          ))}
        </List>
      )}
      <PageControls label="timeline pages" pages={pages} />
    </Box>
  );
}
