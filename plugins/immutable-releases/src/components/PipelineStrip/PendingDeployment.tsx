import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import { useApi } from '@backstage/core-plugin-api';
import {
  approversOf,
  Deployment,
  promotionApprovePermission,
  promotionCreatePermission,
  waitingGateFailures,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useAlertedAction } from '../../hooks/useAlertedAction';
import { formatRelativeTime } from '../shared/format';
import { PermittedButton } from '../shared/PermittedButton';
import { usePipelineStripStyles } from './styles';

type Decision = 'approve' | 'reject';

/** A deployment waiting in an environment's queue, with its approvals and the buttons to decide on it. */
export function PendingDeployment(props: {
  entityRef: string;
  deployment: Deployment;
  onChange: () => void;
}) {
  const { entityRef, deployment, onChange } = props;
  const classes = usePipelineStripStyles();
  const api = useApi(immutableReleasesApiRef);
  const [decision, setDecision] = useState<Decision>();
  const [comment, setComment] = useState('');
  const { run, busy } = useAlertedAction(() => {
    setDecision(undefined);
    onChange();
  });

  const waitingFor = waitingGateFailures(deployment.gates);
  const approvedBy = approversOf(deployment);

  const act = (action: () => Promise<unknown>, succeeded: string) =>
    run(action, {
      succeeded,
      failed: `${deployment.release.version} → ${deployment.environment}`,
    });

  return (
    <Box
      className={classes.pending}
      aria-label={`pending deployment ${deployment.release.version}`}
    >
      <Typography variant="body2">
        <strong>{deployment.release.version}</strong> ({deployment.kind}) by{' '}
        {deployment.requestedBy}, {formatRelativeTime(deployment.createdAt)}
      </Typography>
      {waitingFor.length > 0 && (
        <Typography variant="caption" display="block">
          {waitingFor.map(gate => gate.message).join('; ')}; approved by{' '}
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
