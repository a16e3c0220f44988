import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  makeStyles,
} from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import { GateResult } from 'backstage-plugin-immutable-releases-common';

const useStyles = makeStyles(theme => ({
  passed: { color: theme.palette.success.main },
  failed: { color: theme.palette.error.main },
  // A message that lists reasons (one per attestation) puts each on a line.
  message: { whiteSpace: 'pre-line' },
}));

/** Each gate with its verdict and the backend's message. */
export function GateList(props: { gates: GateResult[]; label: string }) {
  const classes = useStyles();
  return (
    <List dense aria-label={props.label}>
      {props.gates.map(gate => (
        <ListItem key={gate.name} aria-label={`gate ${gate.name}`}>
          <ListItemIcon>
            {gate.passed ? (
              <CheckCircleIcon
                className={classes.passed}
                titleAccess="passed"
              />
            ) : (
              <CancelIcon className={classes.failed} titleAccess="failed" />
            )}
          </ListItemIcon>
          <ListItemText
            primary={`${gate.name}: ${gate.passed ? 'passed' : 'failed'}`}
            secondary={gate.message}
            secondaryTypographyProps={{ className: classes.message }}
          />
        </ListItem>
      ))}
    </List>
  );
}
