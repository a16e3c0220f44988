import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';
import {
  blockingGateFailures,
  Deployment,
  EnvironmentStatus,
  freezeOverridePermission,
  GateResult,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';
import {
  gatesOfPromotionError,
  immutableReleasesApiRef,
} from '../../api/ImmutableReleasesApi';
import { GateList } from '../shared/GateList';
import { DeploymentStatusChip } from '../shared/StatusChips';

/** How many recent releases the dialog offers besides those current somewhere. */
const RECENT_RELEASES = 20;

/** @public */
export interface PromoteDialogProps {
  open: boolean;
  entityRef: string;
  /** The environments answer, in pipeline order. */
  environments: EnvironmentStatus[];
  /** The environment preselected as target. */
  initialTarget?: string;
  onClose: () => void;
  /** Called once the backend accepted the promotion. */
  onPromoted?: (deployment: Deployment) => void;
}

interface ReleaseOption {
  id: string;
  version: string;
  digest: string;
  currentIn: string[];
}

type DryRunState =
  | { state: 'idle' }
  | { state: 'running'; key: string }
  | { state: 'done'; key: string; gates: GateResult[] }
  | { state: 'error'; key: string; error: Error };

/**
 * Promote a release into an environment: shows the dry-run verdict of every gate before
 * the promotion can be confirmed.
 *
 * @public
 */
export function PromoteDialog(props: PromoteDialogProps) {
  const { open, entityRef, environments, initialTarget, onClose, onPromoted } =
    props;
  const api = useApi(immutableReleasesApiRef);
  const mayOverrideFreeze = usePermission({
    permission: freezeOverridePermission,
    resourceRef: entityRef,
  });

  const [target, setTarget] = useState(
    initialTarget ?? environments[1]?.name ?? environments[0]?.name ?? '',
  );
  const targetEnvironment = environments.find(e => e.name === target);
  const upstreamRelease = environments.find(
    e => e.name === targetEnvironment?.from,
  )?.currentRelease;

  const [chosenReleaseId, setChosenReleaseId] = useState<string>();
  const [reason, setReason] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [committedOverride, setCommittedOverride] = useState('');
  const [dryRun, setDryRun] = useState<DryRunState>({ state: 'idle' });
  const [submitting, setSubmitting] = useState(false);
  const [refusedGates, setRefusedGates] = useState<GateResult[]>();
  const [submitError, setSubmitError] = useState<Error>();
  const [deployment, setDeployment] = useState<Deployment>();

  const recent = useAsync(
    async () =>
      open
        ? api.listReleases(entityRef, { limit: RECENT_RELEASES })
        : undefined,
    [api, entityRef, open],
  );

  const options = useMemo(() => {
    const byId = new Map<string, ReleaseOption>();
    for (const environment of environments) {
      const current = environment.currentRelease;
      if (current && !current.revoked) {
        const option = byId.get(current.id) ?? {
          id: current.id,
          version: current.version,
          digest: current.artifact.digest,
          currentIn: [],
        };
        option.currentIn.push(environment.name);
        byId.set(current.id, option);
      }
    }
    for (const release of recent.value?.items ?? []) {
      if (!byId.has(release.id) && !release.revocation) {
        byId.set(release.id, {
          id: release.id,
          version: release.version,
          digest: release.artifact.digest,
          currentIn: [],
        });
      }
    }
    return [...byId.values()];
  }, [environments, recent.value]);

  const releaseId =
    chosenReleaseId ?? upstreamRelease?.id ?? recent.value?.items[0]?.id;
  const overrideForRequest = committedOverride.trim()
    ? { reason: committedOverride.trim() }
    : undefined;
  const dryRunKey = JSON.stringify([releaseId, target, overrideForRequest]);

  useEffect(() => {
    if (!open || !releaseId || !target || deployment) {
      return undefined;
    }
    let stale = false;
    setDryRun({ state: 'running', key: dryRunKey });
    api
      .dryRunPromotion({
        entityRef,
        releaseId,
        environment: target,
        ...(overrideForRequest && { override: overrideForRequest }),
      })
      .then(
        result => {
          if (!stale) {
            setDryRun({ state: 'done', key: dryRunKey, gates: result.gates });
          }
        },
        error => {
          if (!stale) {
            setDryRun({ state: 'error', key: dryRunKey, error });
          }
        },
      );
    return () => {
      stale = true;
    };
    // dryRunKey captures releaseId, target and the override
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, open, dryRunKey, deployment]);

  const currentGates =
    dryRun.state === 'done' && dryRun.key === dryRunKey
      ? dryRun.gates
      : undefined;
  const blocking = currentGates ? blockingGateFailures(currentGates) : [];
  const canConfirm =
    Boolean(currentGates) && blocking.length === 0 && !submitting;

  const confirm = async () => {
    if (!releaseId) {
      return;
    }
    setSubmitting(true);
    setRefusedGates(undefined);
    setSubmitError(undefined);
    try {
      const created = await api.promote({
        entityRef,
        releaseId,
        environment: target,
        ...(reason.trim() && { reason: reason.trim() }),
        ...(overrideForRequest && { override: overrideForRequest }),
      });
      setDeployment(created);
      onPromoted?.(created);
    } catch (error) {
      const gates = gatesOfPromotionError(error);
      if (gates) {
        setRefusedGates(gates);
      } else {
        setSubmitError(error as Error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const selectedOption = options.find(o => o.id === releaseId);

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Promote a release</DialogTitle>
      <DialogContent>
        {deployment ? (
          <PromotionResult deployment={deployment} />
        ) : (
          <>
            <TextField
              select
              fullWidth
              margin="dense"
              id="promote-target-environment"
              label="Target environment"
              value={target}
              onChange={event => {
                setTarget(event.target.value);
                setChosenReleaseId(undefined);
              }}
            >
              {environments.map(environment => (
                <MenuItem key={environment.name} value={environment.name}>
                  {environment.name}
                  {environment.from ? ` (from ${environment.from})` : ''}
                </MenuItem>
              ))}
            </TextField>
            {recent.error && <ResponseErrorPanel error={recent.error} />}
            <TextField
              select
              fullWidth
              margin="dense"
              id="promote-release"
              label="Release"
              value={selectedOption ? releaseId : ''}
              onChange={event => setChosenReleaseId(event.target.value)}
              helperText={
                targetEnvironment?.from
                  ? `Defaults to the release current in ${targetEnvironment.from}.`
                  : undefined
              }
            >
              {options.map(option => (
                <MenuItem key={option.id} value={option.id}>
                  {option.version} ({shortDigest(option.digest)})
                  {option.currentIn.length
                    ? ` — current in ${option.currentIn.join(', ')}`
                    : ''}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              fullWidth
              margin="dense"
              id="promote-reason"
              label="Reason"
              value={reason}
              onChange={event => setReason(event.target.value)}
            />
            {!mayOverrideFreeze.loading && mayOverrideFreeze.allowed && (
              <TextField
                fullWidth
                margin="dense"
                id="promote-freeze-override-reason"
                label="Freeze override reason"
                helperText="Only needed inside a freeze window; the gates are checked again when you leave this field."
                value={overrideReason}
                onChange={event => setOverrideReason(event.target.value)}
                onBlur={() => setCommittedOverride(overrideReason)}
              />
            )}
            <Box mt={2}>
              <Typography variant="subtitle2">Gates (dry run)</Typography>
              {!releaseId && !recent.loading && (
                <Typography variant="body2">
                  Choose a release to check its gates.
                </Typography>
              )}
              {(dryRun.state === 'running' ||
                (!releaseId && recent.loading)) && <Progress />}
              {dryRun.state === 'error' && dryRun.key === dryRunKey && (
                <ResponseErrorPanel error={dryRun.error} />
              )}
              {currentGates && (
                <GateList gates={currentGates} label="dry-run gates" />
              )}
              {currentGates && blocking.length > 0 && (
                <Alert severity="error">
                  This promotion would be refused:{' '}
                  {blocking.map(gate => gate.name).join(', ')} failed.
                </Alert>
              )}
              {currentGates &&
                blocking.length === 0 &&
                currentGates.some(g => g.name === 'approvals' && !g.passed) && (
                  <Alert severity="info">
                    The deployment will wait for approvals once requested.
                  </Alert>
                )}
            </Box>
            {refusedGates && (
              <Box mt={2}>
                <Alert severity="error">
                  The backend refused the promotion; the gates now say:
                </Alert>
                <GateList gates={refusedGates} label="refused gates" />
              </Box>
            )}
            {submitError && <ResponseErrorPanel error={submitError} />}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{deployment ? 'Close' : 'Cancel'}</Button>
        {!deployment && (
          <Button
            color="primary"
            variant="contained"
            disabled={!canConfirm}
            onClick={confirm}
          >
            Promote
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

function PromotionResult(props: { deployment: Deployment }) {
  const { deployment } = props;
  const approvalsGate = deployment.gates.find(g => g.name === 'approvals');
  const approvals = deployment.approvals.filter(a => a.decision === 'approve');
  return (
    <Box>
      <Typography>
        Promotion of {deployment.release.version} to {deployment.environment}{' '}
        requested: <DeploymentStatusChip status={deployment.status} />
      </Typography>
      {deployment.status === 'pending' &&
        approvalsGate &&
        !approvalsGate.passed && (
          <Alert severity="info">
            Pending approval: {approvalsGate.message} ({approvals.length} given
            so far).
          </Alert>
        )}
    </Box>
  );
}
