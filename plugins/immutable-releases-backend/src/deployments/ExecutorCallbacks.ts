import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import { CALLBACK_TOKEN_HEADER } from 'backstage-plugin-immutable-releases-node';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { isCallbackToken } from './callbackTokens';
import { DeploymentRunner } from './DeploymentRunner';

/** What an asynchronous executor reports when the work it took is done. */
export interface CompletionReport {
  status: 'succeeded' | 'failed';
  message?: string;
  url?: string;
}

/**
 * Completion reported by asynchronous executors. Only whoever holds the
 * deployment's callback token (the system its executor handed the work to)
 * may report, and only once.
 */
export class ExecutorCallbacks {
  constructor(
    private readonly options: {
      db: ReleasesDatabase;
      runner: DeploymentRunner;
    },
  ) {}

  /**
   * Records the reported outcome. A reported success is verified first when
   * the environment has a verification, like any other.
   */
  async complete(
    deploymentId: string,
    report: CompletionReport,
    caller: { actor: string; callbackToken: string | undefined },
  ): Promise<Deployment> {
    const { db, runner } = this.options;
    const { actor } = caller;
    const deployment = await db.deployments.getDeployment(deploymentId);
    if (!deployment) {
      throw new NotFoundError(`deployment ${deploymentId} does not exist`);
    }
    const awaited = await db.deployments.getAwaitedCallback(deploymentId);
    if (!awaited) {
      throw new ConflictError(
        `deployment ${deploymentId} is ${deployment.status} and does not wait for a completion callback`,
      );
    }
    if (!isCallbackToken(caller.callbackToken, awaited.callbackTokenHash)) {
      throw new NotAllowedError(
        `a completion callback of deployment ${deploymentId} must carry, in the ${CALLBACK_TOKEN_HEADER} header, the callback token its executor received`,
      );
    }
    const executor = deployment.executor
      ? { ...deployment.executor, ...(report.url ? { url: report.url } : {}) }
      : undefined;
    const message = report.message ?? `the executor reported ${report.status}`;
    const environment = await runner.environmentOf(deployment);
    const accepted =
      report.status === 'succeeded' && environment?.verification
        ? await runner.verifyInBackground(deployment, environment, {
            message,
            actor,
            executor,
            fromCallback: true,
          })
        : await runner.finish(deployment, {
            status: report.status,
            actor,
            message,
            expected: ['running'],
            executor,
            fromCallback: true,
          });
    if (!accepted) {
      throw new ConflictError(
        `deployment ${deploymentId} has already finished`,
      );
    }
    return (await db.deployments.getDeployment(deploymentId))!;
  }
}
