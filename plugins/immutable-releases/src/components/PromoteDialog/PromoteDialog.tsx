import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ResponseErrorPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Deployment,
  EnvironmentStatus,
  freezeOverridePermission,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';
import { usePromotableReleases } from '../../hooks/usePromotableReleases';
import { usePromotion } from '../../hooks/usePromotion';
import { usePromotionDryRun } from '../../hooks/usePromotionDryRun';
import { GateList } from '../shared/GateList';
import { DryRunGates } from './DryRunGates';
import { PromotionResult } from './PromotionResult';

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

/**
 * Promote a release into an environment: shows the dry-run verdict of every gate before
 * the promotion can be confirmed.
 *
 * @public
 */
export function PromoteDialog(props: PromoteDialogProps) {
  const { open, entityRef, environments, initialTarget, onClose, onPromoted } =
    props;
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

  const promotable = usePromotableReleases(entityRef, environments, open);
  const promotion = usePromotion(onPromoted);
  const { deployment, submitting, refusedGates } = promotion;

  const releaseId =
    chosenReleaseId ?? upstreamRelease?.id ?? promotable.newestReleaseId;
  const override = committedOverride.trim()
    ? { reason: committedOverride.trim() }
    : undefined;
  const dryRun = usePromotionDryRun(
    { entityRef, releaseId, environment: target, override },
    open && !deployment,
  );
  const canConfirm =
    Boolean(dryRun.gates) && dryRun.blocking.length === 0 && !submitting;

  const confirm = async () => {
    if (!releaseId) {
      return;
    }
    await promotion.promote({
      entityRef,
      releaseId,
      environment: target,
      ...(reason.trim() && { reason: reason.trim() }),
      ...(override && { override }),
    });
  };

  const selectedOption = promotable.releases.find(o => o.id === releaseId);

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
            {promotable.error && (
              <ResponseErrorPanel error={promotable.error} />
            )}
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
              {promotable.releases.map(option => (
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
            <DryRunGates
              releaseChosen={Boolean(releaseId)}
              releasesLoading={promotable.loading}
              running={dryRun.running}
              gates={dryRun.gates}
              blocking={dryRun.blocking}
              error={dryRun.error}
            />
            {refusedGates && (
              <Box mt={2}>
                <Alert severity="error">
                  The backend refused the promotion; the gates now say:
                </Alert>
                <GateList gates={refusedGates} label="refused gates" />
              </Box>
            )}
            {promotion.error && <ResponseErrorPanel error={promotion.error} />}
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
