import { Box, Typography } from '@material-ui/core';
import { Link } from '@backstage/core-components';
import {
  approversOf,
  Deployment,
  waitingGateFailures,
} from 'backstage-plugin-immutable-releases-common';
import { actorName } from '../shared/actorName';
import { formatRelativeTime } from '../shared/format';
import { PendingDeploymentActions } from '../shared/PendingDeploymentActions';
import { useReleaseLinks } from '../shared/releaseLinks';
import { usePipelineStripStyles } from './styles';

/** A deployment waiting in an environment's queue, with its approvals and the buttons to decide on it. */
export function PendingDeployment(props: {
  entityRef: string;
  deployment: Deployment;
  onChange: () => void;
}) {
  const { entityRef, deployment, onChange } = props;
  const classes = usePipelineStripStyles();
  const links = useReleaseLinks(entityRef);
  const waitingFor = waitingGateFailures(deployment.gates);
  const approvedBy = approversOf(deployment).map(actorName);

  return (
    <Box
      className={classes.pending}
      aria-label={`pending deployment ${deployment.release.version}`}
    >
      <Typography variant="body2">
        <Link to={links.deployment(deployment.id)}>
          <strong>{deployment.release.version}</strong> ({deployment.kind})
        </Link>{' '}
        by {actorName(deployment.requestedBy)},{' '}
        {formatRelativeTime(deployment.createdAt)}
      </Typography>
      {waitingFor.length > 0 && (
        <Typography variant="caption" display="block">
          {waitingFor.map(gate => gate.message).join('; ')}; approved by{' '}
          {approvedBy.length ? approvedBy.join(', ') : 'nobody yet'}
        </Typography>
      )}
      <Box mt={1}>
        <PendingDeploymentActions
          entityRef={entityRef}
          deployment={deployment}
          onChange={onChange}
        />
      </Box>
    </Box>
  );
}
