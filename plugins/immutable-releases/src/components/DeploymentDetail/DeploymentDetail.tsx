import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { InfoCard, Link } from '@backstage/core-components';
import {
  approversOf,
  Deployment,
  TERMINAL_DEPLOYMENT_STATUSES,
  waitingGateFailures,
} from 'backstage-plugin-immutable-releases-common';
import { useParams } from 'react-router-dom';
import { useLiveDeployment } from '../../hooks/useLiveDeployment';
import { actorName } from '../shared/actorName';
import { CopyableDigest } from '../shared/CopyableDigest';
import { Field, Fields } from '../shared/Fields';
import { GateList } from '../shared/GateList';
import { PageHeading } from '../shared/PageHeading';
import { PageOfEntity } from '../shared/PageOfEntity';
import { PendingDeploymentActions } from '../shared/PendingDeploymentActions';
import { useReleaseLinks } from '../shared/releaseLinks';
import { DeploymentStatusChip } from '../shared/StatusChips';
import { Timestamp } from '../shared/Timestamp';
import { useEntityRef } from '../shared/useEntityRef';
import { TimelineEvents } from '../ReleaseTimeline/ReleaseTimeline';
import { ApprovalList } from './ApprovalList';
import { DeploymentTransitions } from './DeploymentTransitions';
import { ExecutorOutput } from './ExecutorOutput';
import { VerificationResult } from './VerificationResult';

const KIND_NOUNS: Record<Deployment['kind'], string> = {
  promotion: 'Promotion',
  rollback: 'Rollback',
};

/** "Promotion of 1.4.0 to production". */
export function deploymentTitle(deployment: Deployment): string {
  const noun = KIND_NOUNS[deployment.kind] ?? 'Deployment';
  return `${noun} of ${deployment.release.version} to ${deployment.environment}`;
}

/** The page of one deployment of the entity, `…/releases/deployments/:deploymentId`. */
export function DeploymentDetailPage() {
  const entityRef = useEntityRef();
  const { deploymentId = '' } = useParams();
  const state = useLiveDeployment(entityRef, deploymentId);

  return (
    <PageOfEntity
      entityRef={entityRef}
      what="Deployment"
      id={deploymentId}
      state={state}
      entityRefOf={deployment => deployment.entityRef}
    >
      {deployment => (
        <DeploymentDetail
          entityRef={entityRef}
          deployment={deployment}
          onChange={state.reload}
        />
      )}
    </PageOfEntity>
  );
}

/** Everything about one deployment: request, gates, approvals, transitions, executor, verification. */
export function DeploymentDetail(props: {
  entityRef: string;
  deployment: Deployment;
  onChange: () => void;
}) {
  const { entityRef, deployment, onChange } = props;
  const links = useReleaseLinks(entityRef);
  const ended = TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status);
  const waitingFor = waitingGateFailures(deployment.gates);
  const approvedBy = approversOf(deployment).map(actorName);
  // The activity follows the deployment: a new transition brings new events.
  const activityKey =
    deployment.transitions.length + deployment.approvals.length;

  return (
    <section aria-label="deployment detail">
      <PageHeading title={deploymentTitle(deployment)}>
        <DeploymentStatusChip status={deployment.status} />
        {!ended && (
          <Typography variant="caption" color="textSecondary">
            updates live
          </Typography>
        )}
      </PageHeading>
      {deployment.status === 'pending' && waitingFor.length > 0 && (
        <Box mb={2}>
          <Alert severity="info">
            Waiting: {waitingFor.map(gate => gate.message).join('; ')}; approved
            by {approvedBy.length ? approvedBy.join(', ') : 'nobody yet'}.
          </Alert>
        </Box>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} lg={6}>
          <Box display="flex" flexDirection="column" gridGap={24}>
            <InfoCard title="Request">
              <Fields label="request">
                <Field name="Release">
                  <Link to={links.release(deployment.releaseId)}>
                    {deployment.release.version}
                  </Link>{' '}
                  <CopyableDigest
                    digest={deployment.release.artifact.digest}
                    of={deployment.release.version}
                  />
                  {deployment.release.revoked && ' (revoked)'}
                </Field>
                <Field name="Environment">{deployment.environment}</Field>
                <Field name="Requested by">
                  {actorName(deployment.requestedBy)},{' '}
                  <Timestamp at={deployment.createdAt} />
                </Field>
                <Field name="Reason">{deployment.reason || '—'}</Field>
                <Field name="Last change">
                  <Timestamp at={deployment.updatedAt} />
                </Field>
              </Fields>
            </InfoCard>
            <InfoCard title="Gates and approvals">
              {deployment.gates.length > 0 ? (
                <GateList gates={deployment.gates} label="gates" />
              ) : (
                <Typography variant="body2" color="textSecondary">
                  No gates were evaluated.
                </Typography>
              )}
              <Typography variant="subtitle2">Approvals</Typography>
              <ApprovalList approvals={deployment.approvals} />
              {deployment.status === 'pending' && (
                <Box mt={1}>
                  <PendingDeploymentActions
                    entityRef={entityRef}
                    deployment={deployment}
                    onChange={onChange}
                  />
                </Box>
              )}
            </InfoCard>
          </Box>
        </Grid>
        <Grid item xs={12} lg={6}>
          <Box display="flex" flexDirection="column" gridGap={24}>
            <InfoCard title="Executor">
              <ExecutorOutput executor={deployment.executor} />
            </InfoCard>
            <InfoCard title="Verification">
              <VerificationResult transitions={deployment.transitions} />
            </InfoCard>
            <InfoCard title="Transitions">
              <DeploymentTransitions transitions={deployment.transitions} />
            </InfoCard>
            <InfoCard title="Activity">
              <TimelineEvents
                entityRef={entityRef}
                filter={{ deploymentId: deployment.id }}
                refreshKey={activityKey}
              />
            </InfoCard>
          </Box>
        </Grid>
      </Grid>
    </section>
  );
}
