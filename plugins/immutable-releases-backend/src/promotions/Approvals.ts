import { ConflictError, NotAllowedError } from '@backstage/errors';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import { eventFor, NewEvent } from '../audit/AuditTrail';
import { EntityHistory } from '../audit/EntityHistory';
import { DeploymentRunner } from '../deployments/DeploymentRunner';
import { findEnvironment } from '../pipelines/EntityPipelines';
import { ReleaseRegistry } from '../releases/ReleaseRegistry';
import { approvalRefusal } from './approvalRules';
import { PromotionsContext, Requester } from './context';

export interface ApprovalsOptions extends PromotionsContext {
  registry: ReleaseRegistry;
  runner: DeploymentRunner;
  history: EntityHistory;
}

/**
 * Approvals and rejections of pending deployments. The decision is recorded
 * only while the deployment is still pending, whatever races with it; the
 * runner starts the deployment once the approvals it needs are in.
 */
export class Approvals {
  constructor(private readonly options: ApprovalsOptions) {}

  async decide(
    deploymentId: string,
    decision: 'approve' | 'reject',
    comment: string | undefined,
    requester: Requester,
  ): Promise<Deployment> {
    const { db, entities, registry, runner, audit, history, clock } =
      this.options;
    const deployment = await history.getDeployment(deploymentId);
    const pipeline = entities.getPipeline(
      (await db.deployments.getPipelineName(deploymentId))!,
    );
    const environment = findEnvironment(pipeline, deployment.environment);
    if (!environment.approvals) {
      throw new ConflictError(`${environment.name} does not require approvals`);
    }
    if (deployment.status !== 'pending') {
      throw notPending(deployment);
    }
    const refusal = approvalRefusal({
      approver: requester,
      deployment,
      release: await registry.requireRelease(deployment.releaseId),
      environment,
    });
    if (refusal) {
      throw new NotAllowedError(refusal);
    }
    const at = clock().toISOString();
    const events = await db.transaction(async stores => {
      if (!(await stores.deployments.holdPending(deploymentId, at))) {
        throw notPending(
          (await stores.deployments.getDeployment(deploymentId))!,
        );
      }
      const added = await stores.deployments.addApproval(deploymentId, {
        approver: requester.actor,
        decision,
        ...(comment ? { comment } : {}),
        at,
      });
      if (added === 'duplicate') {
        throw new ConflictError(
          `${requester.actor} has already decided on deployment ${deploymentId}`,
        );
      }
      const recorded: NewEvent[] = [
        eventFor(
          deployment,
          `approval.${decision === 'approve' ? 'approved' : 'rejected'}`,
          requester.actor,
          { comment: comment ?? null },
        ),
      ];
      if (decision === 'reject') {
        const changed = await stores.deployments.changeStatus(deploymentId, {
          from: ['pending'],
          to: 'rejected',
          at,
          actor: requester.actor,
          message: `rejected by ${requester.actor}${
            comment ? `: ${comment}` : ''
          }`,
        });
        if (!changed) {
          throw new ConflictError(
            `deployment ${deploymentId} is no longer pending`,
          );
        }
        recorded.push(
          eventFor(deployment, 'deployment.rejected', requester.actor, {}),
        );
      }
      return audit.record(stores, recorded);
    });
    await audit.publish(events);
    await runner.startNext(deployment);
    return history.getDeployment(deploymentId);
  }
}

function notPending(deployment: Deployment): ConflictError {
  return new ConflictError(
    `deployment ${deployment.id} is ${deployment.status}; only a pending deployment can be approved or rejected`,
  );
}
