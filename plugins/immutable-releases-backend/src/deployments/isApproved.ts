import {
  approversOf,
  Deployment,
} from 'backstage-plugin-immutable-releases-common';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';

/** Whether the approvals an environment requires are in, so the deployment may start. */
export function isApproved(
  deployment: Pick<Deployment, 'kind' | 'approvals'>,
  environment: Pick<EnvironmentDefinition, 'approvals'>,
): boolean {
  if (!environment.approvals || deployment.kind === 'rollback') {
    return true;
  }
  return approversOf(deployment).length >= environment.approvals.required;
}
