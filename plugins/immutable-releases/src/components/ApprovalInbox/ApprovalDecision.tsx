import { useState } from 'react';
import { Box, Button } from '@material-ui/core';
import { useApi } from '@backstage/core-plugin-api';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useAlertedAction } from '../../hooks/useAlertedAction';
import { RejectDialog } from './RejectDialog';

/** Approve at once, or reject with a comment; `onDecided` runs once the backend took it. */
export function ApprovalDecision(props: {
  deployment: Deployment;
  /** Names the deployment in messages, e.g. "1.4.0 → production of shop". */
  subject: string;
  onDecided: () => void;
}) {
  const { deployment, subject, onDecided } = props;
  const api = useApi(immutableReleasesApiRef);
  const [rejecting, setRejecting] = useState(false);
  const { run, busy } = useAlertedAction(onDecided);

  const approve = () =>
    run(() => api.decideApproval(deployment.id, { decision: 'approve' }), {
      succeeded: `Approved ${subject}`,
      failed: `Could not approve ${subject}`,
    });
  const reject = (comment: string) =>
    run(
      () => api.decideApproval(deployment.id, { decision: 'reject', comment }),
      {
        succeeded: `Rejected ${subject}`,
        failed: `Could not reject ${subject}`,
      },
    );

  return (
    <Box display="flex" gridGap={8}>
      <Button
        color="primary"
        variant="contained"
        size="small"
        disabled={busy}
        onClick={approve}
      >
        Approve
      </Button>
      <Button
        size="small"
        variant="outlined"
        disabled={busy}
        onClick={() => setRejecting(true)}
      >
        Reject
      </Button>
      {rejecting && (
        <RejectDialog
          open
          subject={subject}
          busy={busy}
          onCancel={() => setRejecting(false)}
          onReject={reject}
        />
      )}
    </Box>
  );
}
