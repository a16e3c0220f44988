import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  approversOf,
  Deployment,
  waitingGateFailures,
} from 'backstage-plugin-immutable-releases-common';
import { DeploymentStatusChip } from '../shared/StatusChips';

/** What became of an accepted promotion: its status, and the approvals it waits for. */
export function PromotionResult(props: { deployment: Deployment }) {
  const { deployment } = props;
  const waitingFor = waitingGateFailures(deployment.gates);
  return (
    <Box>
      <Typography>
        Promotion of {deployment.release.version} to {deployment.environment}{' '}
        requested: <DeploymentStatusChip status={deployment.status} />
      </Typography>
      {deployment.status === 'pending' && waitingFor.length > 0 && (
        <Alert severity="info">
          Pending approval: {waitingFor.map(gate => gate.message).join('; ')} (
          {approversOf(deployment).length} given so far).
        </Alert>
      )}
    </Box>
  );
}
