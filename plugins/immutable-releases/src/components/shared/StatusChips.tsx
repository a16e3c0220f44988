import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import {
  CheckStatus,
  DeploymentStatus,
  DriftStatus,
} from 'backstage-plugin-immutable-releases-common';

const useStyles = makeStyles(theme => ({
  ok: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  warning: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  error: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  info: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  neutral: {
    backgroundColor: theme.palette.grey[400],
    color: theme.palette.getContrastText(theme.palette.grey[400]),
  },
}));

type Tone = 'ok' | 'warning' | 'error' | 'info' | 'neutral';

function ToneChip(props: { tone: Tone; label: string; title?: string }) {
  const classes = useStyles();
  const chip = (
    <Chip size="small" className={classes[props.tone]} label={props.label} />
  );
  return props.title ? <Tooltip title={props.title}>{chip}</Tooltip> : chip;
}

const DRIFT_TONES: Record<DriftStatus, Tone> = {
  'in-sync': 'ok',
  drifted: 'warning',
  unmanaged: 'error',
  unknown: 'neutral',
};

export const DRIFT_EXPLANATIONS: Record<DriftStatus, string> = {
  'in-sync': 'What runs is the current release.',
  drifted: 'What runs is another release of this entity, not the current one.',
  unmanaged: 'Something runs here that was never released.',
  unknown: 'No recent observation of what runs here.',
};

export function DriftStatusChip(props: { status: DriftStatus }) {
  return (
    <ToneChip
      tone={DRIFT_TONES[props.status]}
      label={props.status}
      title={DRIFT_EXPLANATIONS[props.status]}
    />
  );
}

const DEPLOYMENT_TONES: Record<DeploymentStatus, Tone> = {
  pending: 'info',
  running: 'info',
  verifying: 'info',
  succeeded: 'ok',
  failed: 'error',
  rejected: 'warning',
  cancelled: 'neutral',
  superseded: 'neutral',
};

export function DeploymentStatusChip(props: { status: DeploymentStatus }) {
  return (
    <ToneChip tone={DEPLOYMENT_TONES[props.status]} label={props.status} />
  );
}

const CHECK_TONES: Record<CheckStatus, Tone> = {
  passed: 'ok',
  failed: 'error',
  pending: 'neutral',
};

export function CheckChip(props: {
  name: string;
  status: CheckStatus;
  summary?: string;
}) {
  return (
    <ToneChip
      tone={CHECK_TONES[props.status]}
      label={`${props.name}: ${props.status}`}
      title={props.summary}
    />
  );
}
