import {
  Box,
  ListItem,
  ListItemText,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { ReleaseLinks } from '../shared/releaseLinks';
import { fullTimestamp, timeOfDay } from './eventDays';
import { actorName } from '../shared/actorName';
import { eventSentence } from './eventSentence';

/** The page an event concerns: its deployment's, else its release's. */
export function eventTarget(
  event: ReleaseEvent,
  links: ReleaseLinks,
): string | undefined {
  if (event.deploymentId) {
    return links.deployment(event.deploymentId);
  }
  return event.releaseId ? links.release(event.releaseId) : undefined;
}

/** A person or group links to their catalog page; a service is named. */
function Actor(props: { actor: string }) {
  const name = actorName(props.actor);
  return /^(user|group):/.test(props.actor) ? (
    <EntityRefLink entityRef={props.actor}>{name}</EntityRefLink>
  ) : (
    <>{name}</>
  );
}

/** One event of the timeline: its time of day, its sentence linked to what it concerns, and its note. */
export function TimelineEventLine(props: {
  event: ReleaseEvent;
  links: ReleaseLinks;
}) {
  const { event, links } = props;
  const sentence = eventSentence(event);
  const target = eventTarget(event, links);
  return (
    <ListItem divider aria-label={`event ${event.type}`}>
      <ListItemText
        primary={
          <Box display="flex" alignItems="baseline" gridGap={12}>
            <Tooltip title={fullTimestamp(event.at)}>
              <Typography
                variant="caption"
                color="textSecondary"
                component="time"
                dateTime={event.at}
              >
                {timeOfDay(event.at)}
              </Typography>
            </Tooltip>
            <Typography variant="body2" component="span">
              {sentence.actor && (
                <>
                  <Actor actor={sentence.actor} />{' '}
                </>
              )}
              {target ? (
                <Link to={target}>{sentence.text}</Link>
              ) : (
                sentence.text
              )}
            </Typography>
          </Box>
        }
        secondary={sentence.note}
      />
    </ListItem>
  );
}
