import {
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import { DeploymentTransition } from 'backstage-plugin-immutable-releases-common';
import { actorName } from '../shared/actorName';
import { DeploymentStatusChip } from '../shared/StatusChips';
import { Timestamp } from '../shared/Timestamp';

const useStyles = makeStyles(theme => ({
  line: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  message: { whiteSpace: 'pre-line', overflowWrap: 'anywhere' },
}));

/** Each status the deployment went through, oldest first, with when, who and why. */
export function DeploymentTransitions(props: {
  transitions: DeploymentTransition[];
}) {
  const classes = useStyles();
  return (
    <List dense aria-label="transitions">
      {props.transitions.map((transition, index) => (
        <ListItem
          key={`${index}-${transition.status}`}
          divider={index < props.transitions.length - 1}
        >
          <ListItemText
            primary={
              <span className={classes.line}>
                <DeploymentStatusChip status={transition.status} />
                <Typography component="span" variant="body2">
                  {actorName(transition.actor)}
                </Typography>
                <Timestamp at={transition.at} variant="caption" />
              </span>
            }
            secondary={transition.message || undefined}
            secondaryTypographyProps={{ className: classes.message }}
          />
        </ListItem>
      ))}
    </List>
  );
}
