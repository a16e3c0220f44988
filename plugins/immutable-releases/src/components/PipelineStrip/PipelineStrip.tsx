import { useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Divider,
  Grid,
  makeStyles,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { CopyTextButton } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Deployment,
  EnvironmentStatus,
  promotionApprovePermission,
  promotionCreatePermission,
  shortDigest,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { PromoteDialog } from '../PromoteDialog';
import { errorMessage, formatRelativeTime } from '../shared/format';
import { PermittedButton } from '../shared/PermittedButton';
import { DeploymentStatusChip, DriftStatusChip } from '../shared/StatusChips';

const useStyles = makeStyles(theme => ({
  column: { height: '100%' },
  digest: { fontFamily: 'monospace' },
  pending: {
    marginTop: theme.spacing(1),
    padding: theme.spacing(1),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  actions: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' },
}));

/** @public */
export interface PipelineStripProps {
  entityRef: string;
  /** The environments answer, in pipeline order. */
  environments: EnvironmentStatus[];
  /** Called after an action changed something, so the caller reloads. */
  onChange: () => void;
}

/**
 * One column per environment in pipeline order: what runs, its status, drift, hold,
 * pending deployments with their approvals, and the way to promote onwards.
 *
 * @public
 */
export function PipelineStrip(props: PipelineStripProps) {
  const { entityRef, environments, onChange } = props;
  const [promoteTarget, setPromoteTarget] = useState<string>();
  return (
    <>
      <Grid container spacing={2} role="list" aria-label="pipeline">
        {environments.map(environment => (
          <Grid
            item
            xs={12}
            md={
              Math.max(3, Math.floor(12 / environments.length)) as
                | 3
                | 4
                | 6
                | 12
            }
            key={environment.name}
            role="listitem"
            aria-label={`environment ${environment.name}`}
          >
            <EnvironmentColumn
              entityRef={entityRef}
              environment={environment}
              next={environments.filter(e => e.from === environment.name)}
              onPromote={setPromoteTarget}
              onChange={onChange}
            />
          </Grid>
        ))}
      </Grid>
      {promoteTarget && (
        <PromoteDialog
          open
          entityRef={entityRef}
          environments={environments}
          initialTarget={promoteTarget}
          onClose={() => setPromoteTarget(undefined)}
          onPromoted={onChange}
        />
      )}
    </>
  );
}

function EnvironmentColumn(props: {
  entityRef: string;
  environment: EnvironmentStatus;
  next: EnvironmentStatus[];
  onPromote: (target: string) => void;
  onChange: () => void;
}) {
  const { entityRef, environment, next, onPromote, onChange } = props;
  const classes = useStyles();
  const api = useApi(immutableReleasesApiRef);
  const alertApi = useApi(alertApiRef);
  const current = environment.currentRelease;
  const active = environment.currentDeployment;

  const releaseHold = async () => {
    try {
      await api.releaseHold(entityRef, environment.name);
      alertApi.post({
        message: `Released the hold on ${environment.name}`,
        severity: 'success',
        display: 'transient',
      });
      onChange();
    } catch (error) {
      alertApi.post({
        message: `Could not release the hold on ${
          environment.name
        }: ${errorMessage(error)}`,
        severity: 'error',
      });
    }
  };

  return (
    <Card variant="outlined" className={classes.column}>
      <CardContent>
        <Typography variant="h6">{environment.name}</Typography>
        {environment.from && (
          <Typography variant="caption" color="textSecondary">
            from {environment.from}
          </Typography>
        )}
        <Box mt={1}>
          {current ? (
            <>
              <Typography variant="h5">{current.version}</Typography>
              <Typography variant="body2" className={classes.digest}>
                {shortDigest(current.artifact.digest)}
                <CopyTextButton
                  text={current.artifact.digest}
                  aria-label={`copy digest of ${current.version}`}
                />
              </Typography>
              {current.revoked && (
                <Alert severity="error">
                  {current.version} is revoked but still runs here.
                </Alert>
              )}
            </>
          ) : (
            <Typography color="textSecondary">Nothing deployed yet</Typography>
          )}
        </Box>
        <Box mt={1} className={classes.actions}>
          {active ? (
            <Typography variant="body2" component="span">
              {active.release.version}{' '}
              <DeploymentStatusChip status={active.status} />
            </Typography>
          ) : (
            current && <DeploymentStatusChip status="succeeded" />
          )}
          <DriftStatusChip status={environment.drift.status} />
        </Box>
        {environment.hold && (
          <Box mt={1}>
            <Alert
              severity={
                environment.hold.blocksDeployments ? 'error' : 'warning'
              }
            >
              Held since {formatRelativeTime(environment.hold.setAt)} by{' '}
              {environment.hold.setBy}: {environment.hold.reason}.{' '}
              {environment.hold.blocksDeployments
                ? `No deployment into ${environment.name} starts until the hold is released.`
                : `Automatic promotions into ${environment.name} are stopped.`}
            </Alert>
            <PermittedButton
              size="small"
              permission={promotionCreatePermission}
              entityRef={entityRef}
              deniedAction={`release the hold on ${environment.name}`}
              onClick={releaseHold}
            >
              Release hold
            </PermittedButton>
          </Box>
        )}
        {environment.pendingDeployments.length > 0 && (
          <Box mt={1}>
            <Divider />
            <Typography variant="subtitle2">
              Pending ({environment.pendingDeployments.length})
            </Typography>
            {environment.pendingDeployments.map(deployment => (
              <PendingDeployment
                key={deployment.id}
                entityRef={entityRef}
                deployment={deployment}
                onChange={onChange}
              />
            ))}
          </Box>
        )}
        {next.length > 0 && (
          <Box mt={2} className={classes.actions}>
            {next.map(target => (
              <PermittedButton
                key={target.name}
                variant="contained"
                color="primary"
                size="small"
                permission={promotionCreatePermission}
                entityRef={entityRef}
                deniedAction="promote releases of this entity"
                disabled={!current}
                onClick={() => onPromote(target.name)}
              >
                Promote to {target.name}
              </PermittedButton>
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

type Decision = 'approve' | 'reject';

function PendingDeployment(props: {
  entityRef: string;
  deployment: Deployment;
  onChange: () => void;
}) {
  const { entityRef, deployment, onChange } = props;
  const classes = useStyles();
  const api = useApi(immutableReleasesApiRef);
  const alertApi = useApi(alertApiRef);
  const [decision, setDecision] = useState<Decision>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);

  const approvalsGate = deployment.gates.find(g => g.name === 'approvals');
  const approvedBy = deployment.approvals
    .filter(a => a.decision === 'approve')
    .map(a => a.approver);

  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      alertApi.post({
        message: done,
        severity: 'success',
        display: 'transient',
      });
      setDecision(undefined);
      onChange();
    } catch (error) {
      alertApi.post({
        message: `${deployment.release.version} → ${
          deployment.environment
        }: ${errorMessage(error)}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      className={classes.pending}
      aria-label={`pending deployment ${deployment.release.version}`}
    >
      <Typography variant="body2">
        <strong>{deployment.release.version}</strong> ({deployment.kind}) by{' '}
        {deployment.requestedBy}, {formatRelativeTime(deployment.createdAt)}
      </Typography>
      {approvalsGate && !approvalsGate.passed && (
        <Typography variant="caption" display="block">
          {approvalsGate.message}; approved by{' '}
          {approvedBy.length ? approvedBy.join(', ') : 'nobody yet'}
        </Typography>
      )}
      <Box className={classes.actions} mt={1}>
        <PermittedButton
          size="small"
          color="primary"
          permission={promotionApprovePermission}
          entityRef={entityRef}
          deniedAction="approve deployments of this entity"
          disabled={busy}
          onClick={() => setDecision('approve')}
        >
          Approve
        </PermittedButton>
        <PermittedButton
          size="small"
          permission={promotionApprovePermission}
          entityRef={entityRef}
          deniedAction="reject deployments of this entity"
          disabled={busy}
          onClick={() => setDecision('reject')}
        >
          Reject
        </PermittedButton>
        <PermittedButton
          size="small"
          permission={promotionCreatePermission}
          entityRef={entityRef}
          deniedAction="cancel deployments of this entity"
          disabled={busy}
          onClick={() =>
            act(
              () => api.cancelDeployment(deployment.id),
              `Cancelled ${deployment.release.version} → ${deployment.environment}`,
            )
          }
        >
          Cancel
        </PermittedButton>
      </Box>
      <Dialog open={Boolean(decision)} onClose={() => setDecision(undefined)}>
        <DialogTitle>
          {decision === 'approve' ? 'Approve' : 'Reject'}{' '}
          {deployment.release.version} → {deployment.environment}
        </DialogTitle>
        <DialogContent>
          <TextField
            fullWidth
            multiline
            id={`decision-comment-${deployment.id}`}
            label="Comment"
            value={comment}
            onChange={event => setComment(event.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDecision(undefined)}>Back</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={busy}
            onClick={() =>
              act(
                () =>
                  api.decideApproval(deployment.id, {
                    decision: decision!,
                    ...(comment.trim() && { comment: comment.trim() }),
                  }),
                `${decision === 'approve' ? 'Approved' : 'Rejected'} ${
                  deployment.release.version
                } → ${deployment.environment}`,
              )
            }
          >
            {decision === 'approve' ? 'Approve' : 'Reject'}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
