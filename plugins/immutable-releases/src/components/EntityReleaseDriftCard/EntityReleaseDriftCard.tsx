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
import { DriftStatusChip } from '../shared/StatusChips';
import { useEntityRef } from '../shared/useEntityRef';

const useStyles = makeStyles(theme => ({
  digest: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
  nowrap: { whiteSpace: 'nowrap' },
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
  const neverObserved =
    environments.length > 0 &&
    environments.every(e => !e.drift.observedAt && !e.drift.error);

  return (
    <InfoCard title="Drift">
      {state.loading && !state.value && <Progress />}
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
      {neverObserved && (
        <Alert severity="info" role="status">
          <AlertTitle>No observations yet</AlertTitle>
          Nothing has reported what runs in {entityRef}'s environments. Drift is
          known once a drift source (Kubernetes, Argo CD or an HTTP probe) is
          configured for them, or once your tooling posts to /v1/observations.
        </Alert>
      )}
      {state.value && !neverObserved && (
        <div className={classes.scroll}>
          <Table size="small" aria-label="drift by environment">
            <TableHead>
              <TableRow>
                {['Environment', 'Should run', 'Runs'].map(header => (
                  <TableCell key={header} className={classes.nowrap}>
                    {header}
                  </TableCell>
                ))}
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
      <TableCell>
        <Typography
          variant="body2"
          display="block"
          className={classes.environmentName}
        >
          {environment.name}
        </Typography>
        <DriftStatusChip status={status} />
      </TableCell>
      <TableCell>
        {desired ? (
          <VersionAndDigest
            version={desired.version}
            digest={desired.artifact.digest}
            classes={classes}
          />
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        {observedDigest ? (
          <VersionAndDigest
            version={observedRelease?.version}
            digest={observedDigest}
            classes={classes}
          />
        ) : (
          '—'
        )}
        {observedDetails?.otherDigests?.length ? (
          <Typography variant="caption" display="block">
            {describeSplit(observedDetails)}
          </Typography>
        ) : null}
        {error && (
          <Typography variant="caption" display="block" color="error">
            Could not observe ({error.source}, {formatRelativeTime(error.at)}
            ): {error.message}
          </Typography>
        )}
        <Typography
          variant="caption"
          color="textSecondary"
          display="block"
          className={classes.nowrap}
        >
          {observedAt ? (
            <Tooltip title={new Date(observedAt).toLocaleString()}>
              <span>observed {formatRelativeTime(observedAt)}</span>
            </Tooltip>
          ) : (
            'never observed'
          )}
        </Typography>
      </TableCell>
    </TableRow>
  );
}

/** A version over its short digest, the whole digest on hover. */
function VersionAndDigest(props: {
  version?: string;
  digest: string;
  classes: ReturnType<typeof useStyles>;
}) {
  return (
    <Tooltip title={props.digest}>
      <span>
        {props.version && (
          <Typography variant="body2" component="span" display="block">
            {props.version}
          </Typography>
        )}
        <Typography
          variant="caption"
          component="span"
          display="block"
          className={props.classes.digest}
        >
          {shortDigest(props.digest)}
        </Typography>
      </span>
    </Tooltip>
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
