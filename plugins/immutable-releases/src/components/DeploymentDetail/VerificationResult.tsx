import { Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { DeploymentTransition } from 'backstage-plugin-immutable-releases-common';
import { Timestamp } from '../shared/Timestamp';
import { verificationOf } from './verification';

/** What the deployment was verified against and how it went. */
export function VerificationResult(props: {
  transitions: DeploymentTransition[];
}) {
  const verification = verificationOf(props.transitions);
  if (!verification) {
    return (
      <Typography color="textSecondary">
        Not verified: the environment has no verification, or the deployment has
        not got that far.
      </Typography>
    );
  }
  const { target, startedAt, outcome } = verification;
  return (
    <>
      <Typography variant="body2" paragraph>
        Checked {target}, from <Timestamp at={startedAt} />.
      </Typography>
      {!outcome && <Alert severity="info">Verifying…</Alert>}
      {outcome && (
        <Alert severity={outcome.passed ? 'success' : 'error'}>
          {outcome.passed ? 'Passed' : 'Did not pass'}: {outcome.message}
        </Alert>
      )}
    </>
  );
}
