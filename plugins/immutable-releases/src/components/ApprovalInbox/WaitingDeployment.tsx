import {
  Box,
  Card,
  CardContent,
  Chip,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import { EntityReleasesLink } from '../shared/EntityReleasesLink';
import { formatRelativeTime } from '../shared/format';
import { GateList } from '../shared/GateList';
import { useReleaseLinks } from '../shared/releaseLinks';
import { ApprovalDecision } from './ApprovalDecision';
import { describeApprovals } from './approvalProgress';

/** "1.4.0 → production of shop": a deployment named for people. */
export function deploymentSubject(deployment: Deployment): string {
  const { name } = parseEntityRef(deployment.entityRef);
  return `${deployment.release.version} → ${deployment.environment} of ${name}`;
}

/** One deployment waiting for the user's approval: what, who asked and why, its gates, the decision. */
export function WaitingDeployment(props: {
  deployment: Deployment;
  onDecided: () => void;
}) {
  const { deployment, onDecided } = props;
  const subject = deploymentSubject(deployment);
  const links = useReleaseLinks(deployment.entityRef);
  return (
    <Card variant="outlined" component="li" aria-label={subject}>
      <CardContent>
        <Box display="flex" alignItems="center" gridGap={8} flexWrap="wrap">
          <Typography variant="h6" component="h3">
            <EntityReleasesLink entityRef={deployment.entityRef} />
          </Typography>
          <Typography variant="h6" component="span">
            <Link to={links.deployment(deployment.id)}>
              <strong>{deployment.release.version}</strong> →{' '}
              {deployment.environment}
            </Link>
          </Typography>
          {deployment.kind === 'rollback' && (
            <Chip size="small" label="rollback" />
          )}
        </Box>
        <Typography variant="body2">
          Requested by {deployment.requestedBy}{' '}
          <Tooltip title={deployment.createdAt}>
            <span>{formatRelativeTime(deployment.createdAt)}</span>
          </Tooltip>
          {deployment.reason ? `: ${deployment.reason}` : ''}
        </Typography>
        <GateList gates={deployment.gates} label={`gates of ${subject}`} />
        <Typography variant="body2" gutterBottom>
          {describeApprovals(deployment)}
        </Typography>
        <ApprovalDecision
          deployment={deployment}
          subject={subject}
          onDecided={onDecided}
        />
      </CardContent>
    </Card>
  );
}
