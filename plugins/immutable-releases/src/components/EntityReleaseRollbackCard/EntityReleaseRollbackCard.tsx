import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  makeStyles,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EnvironmentStatus,
  KNOWN_GOOD_DEPLOYMENTS_LOOKED_AT,
  KnownGoodRelease,
  knownGoodReleases,
  rollbackCreatePermission,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useReleaseSignalRefreshKey } from '../../hooks/useReleaseSignal';
import { PermittedButton } from '../shared/PermittedButton';
import { useEntityRef } from '../shared/useEntityRef';

const useStyles = makeStyles({
  nowrap: { whiteSpace: 'nowrap' },
  scroll: { overflowX: 'auto' },
});

/** What a rollback will do, in one sentence. */
export function rollbackSummary(
  target: { version: string; digest: string },
  environment: string,
  currentVersion: string,
): string {
  return `Redeploy ${target.version} (${shortDigest(
    target.digest,
  )}…) to ${environment}, replacing ${currentVersion}; automatic promotions into ${environment} will be held until someone releases the hold.`;
}

/**
 * Per environment: the current release, the known-good release to go back to and a
 * Roll back action.
 *
 * @public
 */
export function EntityReleaseRollbackCard() {
  const entityRef = useEntityRef();
  const api = useApi(immutableReleasesApiRef);
  const refreshKey = useReleaseSignalRefreshKey(entityRef);
  const state = useAsyncRetry(
    () => api.getEnvironments(entityRef),
    [api, entityRef, refreshKey],
  );

  const classes = useStyles();

  return (
    <InfoCard title="Rollback">
      {state.loading && !state.value && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <div className={classes.scroll}>
          <Table size="small" aria-label="rollback by environment">
            <TableHead>
              <TableRow>
                <TableCell className={classes.nowrap}>Environment</TableCell>
                <TableCell className={classes.nowrap}>Current</TableCell>
                <TableCell className={classes.nowrap}>Known good</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {state.value.environments.map(environment => (
                <RollbackRow
                  key={environment.name}
                  entityRef={entityRef}
                  environment={environment}
                  onRolledBack={state.retry}
                />
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </InfoCard>
  );
}

function RollbackRow(props: {
  entityRef: string;
  environment: EnvironmentStatus;
  onRolledBack: () => void;
}) {
  const classes = useStyles();
  const { entityRef, environment, onRolledBack } = props;
  const api = useApi(immutableReleasesApiRef);
  const current = environment.currentRelease;
  const [open, setOpen] = useState(false);
  const [chosenTargetId, setChosenTargetId] = useState<string>();

  const history = useAsyncRetry(
    async () =>
      current
        ? api.listDeployments(entityRef, {
            environment: environment.name,
            limit: KNOWN_GOOD_DEPLOYMENTS_LOOKED_AT,
          })
        : undefined,
    [api, entityRef, environment.name, current?.id],
  );
  const candidates = useMemo(
    () => knownGoodReleases(history.value?.items ?? [], current?.id),
    [history.value, current?.id],
  );
  const target = candidates.find(c => c.id === chosenTargetId) ?? candidates[0];

  return (
    <TableRow aria-label={`rollback ${environment.name}`}>
      <TableCell className={classes.nowrap}>{environment.name}</TableCell>
      <TableCell className={classes.nowrap}>
        {current ? current.version : '—'}
      </TableCell>
      <TableCell>
        {history.loading && <Progress />}
        {history.error && <ResponseErrorPanel error={history.error} />}
        {!history.loading && current && candidates.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No earlier release succeeded here
          </Typography>
        )}
        {candidates.length > 0 && target && (
          <TextField
            select
            size="small"
            id={`rollback-target-${environment.name}`}
            label="Target"
            value={target.id}
            onChange={event => setChosenTargetId(event.target.value)}
            inputProps={{ 'aria-label': `target for ${environment.name}` }}
            SelectProps={{
              renderValue: id =>
                candidates.find(candidate => candidate.id === id)?.version,
            }}
          >
            {candidates.map(candidate => (
              <MenuItem key={candidate.id} value={candidate.id}>
                {candidate.version} ({shortDigest(candidate.digest)})
              </MenuItem>
            ))}
          </TextField>
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>
        {current && (
          <PermittedButton
            size="small"
            variant="outlined"
            color="secondary"
            permission={rollbackCreatePermission}
            entityRef={entityRef}
            deniedAction={`roll back ${environment.name}`}
            disabled={!target}
            onClick={() => setOpen(true)}
          >
            Roll back
          </PermittedButton>
        )}
        {open && current && target && (
          <RollbackDialog
            entityRef={entityRef}
            environment={environment.name}
            currentVersion={current.version}
            target={target}
            onClose={() => setOpen(false)}
            onRolledBack={() => {
              setOpen(false);
              onRolledBack();
            }}
          />
        )}
      </TableCell>
    </TableRow>
  );
}

function RollbackDialog(props: {
  entityRef: string;
  environment: string;
  currentVersion: string;
  target: KnownGoodRelease;
  onClose: () => void;
  onRolledBack: () => void;
}) {
  const { entityRef, environment, currentVersion, target } = props;
  const api = useApi(immutableReleasesApiRef);
  const alertApi = useApi(alertApiRef);
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();

  const confirm = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      const deployment = await api.rollback({
        entityRef,
        environment,
        releaseId: target.id,
        reason: reason.trim(),
      });
      alertApi.post({
        message: `Rollback of ${environment} to ${target.version} requested (${deployment.status})`,
        severity: 'success',
        display: 'transient',
      });
      props.onRolledBack();
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>Roll back {environment}</DialogTitle>
      <DialogContent>
        <Alert severity="warning">
          {rollbackSummary(target, environment, currentVersion)}
        </Alert>
        <Box mt={2}>
          <TextField
            fullWidth
            required
            multiline
            id="rollback-reason"
            label="Reason"
            helperText="Required: recorded on the deployment and in the audit trail."
            value={reason}
            onChange={event => setReason(event.target.value)}
          />
        </Box>
        {error && <ResponseErrorPanel error={error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={!reason.trim() || submitting}
          onClick={confirm}
        >
          Roll back
        </Button>
      </DialogActions>
    </Dialog>
  );
}
