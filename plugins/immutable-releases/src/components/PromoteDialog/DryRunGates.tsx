import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  GateResult,
  waitingGateFailures,
} from 'backstage-plugin-immutable-releases-common';
import { GateList } from '../shared/GateList';

/**
 * The dry run's verdict in the dialog: a prompt while no release is chosen,
 * progress, the error, or the gates with what they mean for the promotion.
 */
export function DryRunGates(props: {
  releaseChosen: boolean;
  /** The releases to choose from are still loading. */
  releasesLoading: boolean;
  /** The dry run is under way. */
  running: boolean;
  gates?: GateResult[];
  blocking: GateResult[];
  error?: Error;
}) {
  const { releaseChosen, releasesLoading, running, gates, blocking, error } =
    props;
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">Gates (dry run)</Typography>
      {!releaseChosen && !releasesLoading && (
        <Typography variant="body2">
          Choose a release to check its gates.
        </Typography>
      )}
      {(running || (!releaseChosen && releasesLoading)) && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {gates && <GateList gates={gates} label="dry-run gates" />}
      {gates && blocking.length > 0 && (
        <Alert severity="error">
          This promotion would be refused:{' '}
          {blocking.map(gate => gate.name).join(', ')} failed.
        </Alert>
      )}
      {gates &&
        blocking.length === 0 &&
        waitingGateFailures(gates).length > 0 && (
          <Alert severity="info">
            The deployment will wait for approvals once requested.
          </Alert>
        )}
    </Box>
  );
}
