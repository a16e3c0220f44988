import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EnvironmentStatus,
  ObservationDetails,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useReleaseSignalRefreshKey } from '../../hooks/useReleaseSignal';
import { formatRelativeTime } from '../shared/format';
import { DRIFT_EXPLANATIONS, DriftStatusChip } from '../shared/StatusChips';
import { useEntityRef } from '../shared/useEntityRef';

const useStyles = makeStyles(theme => ({
  digest: { fontFamily: 'monospace' },
  environmentName: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
  scroll: { overflowX: 'auto' },
  unmanagedRow: { backgroundColor: theme.palette.error.light },
}));

/**
 * Per environment: the digest that should run (the current release) against the digest last
 * observed, with the drift status and the age of the observation.
 *
 * @public
 */
export function EntityReleaseDriftCard() {
  const entityRef = useEntityRef();
  const api = useApi(immutableReleasesApiRef);
  const classes = useStyles();
  const refreshKey = useReleaseSignalRefreshKey(entityRef);
  const state = useAsyncRetry(
    () => api.getEnvironments(entityRef),
    [api, entityRef, refreshKey],
  );

  const environments = state.value?.environments ?? [];
  const unmanaged = environments.filter(e => e.drift.status === 'unmanaged');

  return (
    <InfoCard title="Drift">
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {unmanaged.map(environment => (
        <Alert
          key={environment.name}
          severity="error"
          variant="filled"
          role="alert"
        >
          <AlertTitle>Unmanaged change in {environment.name}</AlertTitle>
          Something runs in {environment.name} that was never released:{' '}
          {environment.drift.observedDigest &&
            shortDigest(environment.drift.observedDigest)}{' '}
          matches no release of this entity. Someone deployed it outside the
          pipeline; find out who, then roll back or register and promote it.
        </Alert>
      ))}
      {state.value && (
        <div className={classes.scroll}>
          <Table size="small" aria-label="drift by environment">
            <TableHead>
              <TableRow>
                <TableCell>Environment</TableCell>
                <TableCell>Desired</TableCell>
                <TableCell>Observed</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Observed at</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {environments.map(environment => (
                <DriftRow
                  key={environment.name}
                  environment={environment}
                  classes={classes}
                />
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </InfoCard>
  );
}

function DriftRow(props: {
  environment: EnvironmentStatus;
  classes: ReturnType<typeof useStyles>;
}) {
  const { environment, classes } = props;
  const desired = environment.currentRelease;
  const {
    status,
    observedDigest,
    observedAt,
    observedRelease,
    observedDetails,
    error,
  } = environment.drift;
  return (
    <TableRow
      aria-label={`drift ${environment.name}`}
      className={status === 'unmanaged' ? classes.unmanagedRow : undefined}
    >
      <TableCell className={classes.environmentName}>
        {environment.name}
      </TableCell>
      <TableCell className={classes.digest}>
        {desired ? (
          <Tooltip title={desired.artifact.digest}>
            <span>
              {desired.version} · {shortDigest(desired.artifact.digest)}
            </span>
          </Tooltip>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell className={classes.digest}>
        {observedDigest ? (
          <Tooltip title={observedDigest}>
            <span>
              {observedRelease ? `${observedRelease.version} · ` : ''}
              {shortDigest(observedDigest)}
            </span>
          </Tooltip>
        ) : (
          '—'
        )}
        {observedDetails?.otherDigests?.length ? (
          <Typography variant="caption" display="block">
            {describeSplit(observedDetails)}
          </Typography>
        ) : null}
      </TableCell>
      <TableCell>
        <DriftStatusChip status={status} />
        <Typography variant="caption" display="block">
          {DRIFT_EXPLANATIONS[status]}
        </Typography>
        {error && (
          <Typography variant="caption" display="block" color="error">
            Could not observe ({error.source}, {formatRelativeTime(error.at)}
            ): {error.message}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        {observedAt ? (
          <Tooltip title={observedAt}>
            <span>{formatRelativeTime(observedAt)}</span>
          </Tooltip>
        ) : (
          'never'
        )}
      </TableCell>
    </TableRow>
  );
}

/** Mid-rollout: how many instances run the observed digest, and the others. */
function describeSplit(details: ObservationDetails): string {
  const running = (instances: number, what: string) =>
    `${instances} ${
      instances === 1 ? 'instance runs' : 'instances run'
    } ${what}`;
  const parts = [
    ...(details.instances === undefined
      ? []
      : [running(details.instances, 'this')]),
    ...(details.otherDigests ?? []).map(other =>
      running(other.instances, shortDigest(other.digest)),
    ),
  ].join('; ');
  return `Mid-rollout: ${parts}`;
}
