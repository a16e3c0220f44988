import { Box, Chip, makeStyles, Tooltip, Typography } from '@material-ui/core';
import LockIcon from '@material-ui/icons/Lock';
import { FleetEnvironment } from 'backstage-plugin-immutable-releases-common';
import { DriftStatusChip } from '../shared/StatusChips';

const useStyles = makeStyles(theme => ({
  cell: {
    minWidth: '9em',
    padding: theme.spacing(1),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  unmanaged: {
    border: `2px solid ${theme.palette.error.main}`,
    backgroundColor: theme.palette.error.light,
  },
  name: { fontFamily: 'monospace' },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
}));

/** One environment of an entity in the fleet: its version, drift, hold and pending deployments. */
export function FleetEnvironmentCell(props: { environment: FleetEnvironment }) {
  const { environment } = props;
  const classes = useStyles();
  const unmanaged = environment.drift.status === 'unmanaged';
  return (
    <Box
      role="group"
      aria-label={`environment ${environment.name}`}
      className={`${classes.cell} ${unmanaged ? classes.unmanaged : ''}`}
    >
      <Typography variant="caption" className={classes.name}>
        {environment.name}
      </Typography>
      <Typography variant="body1">
        <strong>{environment.currentRelease?.version ?? '—'}</strong>
      </Typography>
      <Box className={classes.chips}>
        <DriftStatusChip status={environment.drift.status} />
        {environment.held && (
          <Tooltip title="Held after a rollback: automatic promotions into it are stopped.">
            <Chip size="small" icon={<LockIcon />} label="held" />
          </Tooltip>
        )}
        {environment.pendingCount > 0 && (
          <Chip
            size="small"
            color="primary"
            label={`${environment.pendingCount} pending`}
          />
        )}
      </Box>
    </Box>
  );
}
