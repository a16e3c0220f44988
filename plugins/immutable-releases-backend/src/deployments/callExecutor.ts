import { Entity } from '@backstage/catalog-model';
import {
  Deployment,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import {
  DeploymentExecutor,
  DeploymentOutcome,
} from 'backstage-plugin-immutable-releases-node';
import { deploymentPayload } from './deploymentPayload';
import { ProgressReports } from './ProgressReports';

/**
 * Asks an executor to carry out a deployment, with its progress reports
 * going to `progress` until the deployment is aborted; what the executor
 * throws is a failed outcome, and a success without a message says what was
 * deployed.
 */
export async function callExecutor(
  executor: { name: string; executor: DeploymentExecutor },
  {
    deployment,
    release,
    entity,
  }: { deployment: Deployment; release: Release; entity: Entity },
  {
    signal,
    callbackToken,
    progress,
  }: {
    signal: AbortSignal;
    callbackToken: string;
    progress: ProgressReports;
  },
): Promise<DeploymentOutcome> {
  const payload = deploymentPayload(deployment, release);
  let outcome: DeploymentOutcome;
  try {
    outcome = await executor.executor.deploy({
      payload,
      entity,
      signal,
      callbackToken,
      reportProgress: report => {
        if (!signal.aborted) {
          progress.report(report);
        }
      },
    });
  } catch (error) {
    outcome = {
      status: 'failed',
      message: `executor ${executor.name} threw: ${(error as Error).message}`,
    };
  }
  if (outcome.status === 'succeeded' && !outcome.message) {
    outcome = { ...outcome, message: `deployed ${payload.artifactRef}` };
  }
  return outcome;
}
