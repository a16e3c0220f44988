import {
  Deployment,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';

/**
 * Why `approver` may not decide on the deployment, or undefined when they
 * may. Separation of duties: unless the environment allows self-approval,
 * neither who requested the deployment nor who registered the release
 * approves it. Only users approve, never service principals.
 */
export function approvalRefusal(options: {
  approver: { actor: string; isUser: boolean };
  deployment: Pick<Deployment, 'requestedBy'>;
  release: Pick<Release, 'createdBy'>;
  environment: Pick<EnvironmentDefinition, 'approvals'>;
}): string | undefined {
  const { approver, deployment, release, environment } = options;
  if (!approver.isUser) {
    return 'only users can approve deployments, not service principals';
  }
  if (
    !environment.approvals?.allowSelfApproval &&
    (approver.actor === deployment.requestedBy ||
      approver.actor === release.createdBy)
  ) {
    return 'the requester and the release creator cannot approve their own deployment';
  }
  return undefined;
}
