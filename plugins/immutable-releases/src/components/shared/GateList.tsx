import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  makeStyles,
} from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import {
  GateResult,
  waitingGateFailures,
} from 'backstage-plugin-immutable-releases-common';

const useStyles = makeStyles(theme => ({
  passed: { color: theme.palette.success.main },
  failed: { color: theme.palette.error.main },
  waiting: { color: theme.palette.warning.main },
  // A message that lists reasons (one per attestation) puts each on a line.
  message: { whiteSpace: 'pre-line' },
}));

type Verdict = 'passed' | 'waiting' | 'failed';

function verdictOf(gate: GateResult): Verdict {
  if (gate.passed) {
    return 'passed';
  }
  return waitingGateFailures([gate]).length > 0 ? 'waiting' : 'failed';
}

/**
 * Each gate with its verdict and the backend's message; a gate that makes a deployment wait
 * (approvals) reads "waiting", not "failed".
 */
export function GateList(props: { gates: GateResult[]; label: string }) {
  const classes = useStyles();
  return (
    <List dense aria-label={props.label}>
      {props.gates.map(gate => {
        const verdict = verdictOf(gate);
        return (
          <ListItem key={gate.name} aria-label={`gate ${gate.name}`}>
            <ListItemIcon>
              {verdict === 'passed' && (
                <CheckCircleIcon
                  className={classes.passed}
                  titleAccess="passed"
                />
              )}
              {verdict === 'waiting' && (
                <HourglassEmptyIcon
                  className={classes.waiting}
                  titleAccess="waiting"
                />
              )}
              {verdict === 'failed' && (
                <CancelIcon className={classes.failed} titleAccess="failed" />
              )}
            </ListItemIcon>
            <ListItemText
              primary={`${gate.name}: ${verdict}`}
              secondary={gate.message}
              secondaryTypographyProps={{ className: classes.message }}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
