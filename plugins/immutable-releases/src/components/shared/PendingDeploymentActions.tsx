import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { useApi } from '@backstage/core-plugin-api';
import {
  Deployment,
  promotionApprovePermission,
  promotionCreatePermission,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useAlertedAction } from '../../hooks/useAlertedAction';
import { PermittedButton } from './PermittedButton';

type Decision = 'approve' | 'reject';

/**
 * Approve, reject (each with an optional comment) or cancel a pending deployment, each
 * button disabled with the reason when the user may not.
 */
export function PendingDeploymentActions(props: {
  entityRef: string;
  deployment: Deployment;
  onChange: () => void;
}) {
  const { entityRef, deployment, onChange } = props;
  const api = useApi(immutableReleasesApiRef);
  const [decision, setDecision] = useState<Decision>();
  const [comment, setComment] = useState('');
  const { run, busy } = useAlertedAction(() => {
    setDecision(undefined);
    onChange();
  });
  const subject = `${deployment.release.version} → ${deployment.environment}`;
  const act = (action: () => Promise<unknown>, succeeded: string) =>
    run(action, { succeeded, failed: subject });

  return (
    <>
      <Box display="flex" gridGap={8} flexWrap="wrap">
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
              `Cancelled ${subject}`,
            )
          }
        >
          Cancel
        </PermittedButton>
      </Box>
      <Dialog open={Boolean(decision)} onClose={() => setDecision(undefined)}>
        <DialogTitle>
          {decision === 'approve' ? 'Approve' : 'Reject'} {subject}
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
                `${
                  decision === 'approve' ? 'Approved' : 'Rejected'
                } ${subject}`,
              )
            }
          >
            {decision === 'approve' ? 'Approve' : 'Reject'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
