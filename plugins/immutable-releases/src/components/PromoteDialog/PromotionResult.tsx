import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import { DeploymentStatusChip } from '../shared/StatusChips';

/** What became of an accepted promotion: its status, and the approvals it waits for. */
export function PromotionResult(props: { deployment: Deployment }) {
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
