import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  approversOf,
  Deployment,
  IMMUTABLE_RELEASES_NOTIFICATION_TOPICS as TOPICS,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { ENGINE_ACTOR } from '../audit/AuditTrail';
import { isApproved } from '../deployments/isApproved';
import { ownersOf } from '../pipelines/entityOwners';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';

/** A deployment that an event moved, as it is now, with what the rules need to know about it. */
export interface DeploymentSituation {
  event: ReleaseEvent;
  deployment: Deployment;
  environment: Pick<EnvironmentDefinition, 'name' | 'approvals'>;
  entity: Entity;
  /** Who registered the release being deployed. */
  releaseCreatedBy?: string;
}

/** The events that move a deployment through approval, in or out of it. */
const APPROVAL_EVENTS = new Set([
  'deployment.requested',
  'approval.approved',
  'deployment.rejected',
  'deployment.cancelled',
  'deployment.superseded',
]);

/**
 * What an event may be worth a notification about, judged from the event
 * alone, so that nothing is looked up for the others: a deployment, the
 * drift of an environment, or nothing.
 */
export function notificationSubject(
  event: ReleaseEvent,
): 'deployment' | 'drift' | undefined {
  if (
    event.deploymentId &&
    (APPROVAL_EVENTS.has(event.type) || event.type === 'deployment.failed')
  ) {
    return 'deployment';
  }
  if (event.type === 'drift.changed' && event.details.to === 'unmanaged') {
    return 'drift';
  }
  return undefined;
}

/**
 * Whether a deployment event may send anything in its environment, judged
 * before the deployment, entity and release are looked up: the rules below
 * need approvals configured, a failure, or a rollback the engine asked for.
 */
export function mayNotifyOfDeployment(
  event: ReleaseEvent,
  environment: Pick<EnvironmentDefinition, 'approvals'>,
): boolean {
  return (
    event.type === 'deployment.failed' ||
    (APPROVAL_EVENTS.has(event.type) && Boolean(environment.approvals)) ||
    (event.type === 'deployment.requested' &&
      event.actor === ENGINE_ACTOR &&
      event.details.kind === 'rollback')
  );
}

/** The notifications a deployment event sends. */
export function deploymentNotifications(
  situation: DeploymentSituation,
): NotificationSendOptions[] {
  return [
    approvalNotification(situation),
    deploymentFailedNotification(situation),
    automaticRollbackNotification(situation),
  ].filter((notification): notification is NotificationSendOptions =>
    Boolean(notification),
  );
}

/**
 * A promotion into an environment that requires approvals tells its possible
 * approvers that it waits for them, and then, in the same notification (same
 * scope), how far it got: approved by some, approved, rejected, cancelled or
 * replaced by a newer promotion. Who may not approve it (the requester and
 * the release creator, unless self-approval is allowed) is not told.
 */
export function approvalNotification(
  situation: DeploymentSituation,
): NotificationSendOptions | undefined {
  const { event, deployment, environment, entity } = situation;
  const approvals = environment.approvals;
  if (
    !approvals ||
    deployment.kind !== 'promotion' ||
    !APPROVAL_EVENTS.has(event.type)
  ) {
    return undefined;
  }
  const approvers = approvals.notify ?? ownersOf(entity);
  if (approvers.length === 0) {
    return undefined;
  }
  const cannotApprove = approvals.allowSelfApproval
    ? []
    : [
        ...new Set(
          [deployment.requestedBy, situation.releaseCreatedBy]
            .filter(isUserRef)
            .map(user => stringifyEntityRef(parseEntityRef(user))),
        ),
      ];
  return {
    recipients: {
      type: 'entity',
      entityRef: approvers,
      ...(cannotApprove.length > 0 ? { excludeEntityRef: cannotApprove } : {}),
    },
    payload: {
      ...describeApprovalState(situation),
      link: deploymentLink(entity, deployment.id),
      topic: TOPICS.approvalRequested,
      scope: approvalScope(deployment.id),
      severity: 'normal',
      metadata: deploymentMetadata(deployment),
    },
  };
}

/** The scope that keeps one approval notification per deployment, updated in place. */
export function approvalScope(deploymentId: string): string {
  return `immutable-releases:deployment:${deploymentId}`;
}

function describeApprovalState({
  event,
  deployment,
  environment,
  entity,
}: DeploymentSituation): { title: string; description: string } {
  const what = `${displayName(entity)} ${deployment.release.version}`;
  const where = environment.name;
  const approvers = approversOf(deployment);
  const approvedBy = approvers.length
    ? `Approved by ${listNames(approvers)}.`
    : '';
  if (deployment.status === 'rejected') {
    const rejection = deployment.approvals.find(
      approval => approval.decision === 'reject',
    );
    return {
      title: `${what} was rejected for ${where}`,
      description: rejection
        ? `Rejected by ${actorName(rejection.approver)}${
            rejection.comment ? `: ${rejection.comment}` : ''
          }.`
        : sentence(lastTransitionMessage(deployment)),
    };
  }
  if (deployment.status === 'cancelled') {
    const cancellation = deployment.transitions.findLast(
      transition => transition.status === 'cancelled',
    );
    const reason =
      event.type === 'deployment.cancelled' &&
      typeof event.details.reason === 'string'
        ? event.details.reason
        : undefined;
    return {
      title: `The promotion of ${what} to ${where} was cancelled`,
      description: cancellation
        ? sentence(
            `Cancelled by ${actorName(cancellation.actor)}${
              reason ? `: ${reason}` : ''
            }`,
          )
        : '',
    };
  }
  if (deployment.status === 'superseded') {
    return {
      title: `A newer promotion to ${where} replaced ${what}`,
      description: `${what} no longer waits for approval. ${approvedBy}`.trim(),
    };
  }
  if (deployment.status === 'pending' && !isApproved(deployment, environment)) {
    const required = environment.approvals!.required;
    const missing = required - approvers.length;
    return {
      title:
        approvers.length === 0
          ? `${what} waits for your approval in ${where}`
          : `${what} waits for ${plural(missing, 'more approval')} in ${where}`,
      description: [
        `${requestedBy(deployment)}.`,
        approvedBy,
        `It needs ${plural(required, 'approval')} before it starts.`,
      ]
        .filter(Boolean)
        .join(' '),
    };
  }
  // Approved: it waits for its turn, runs, or already ran.
  return {
    title: `${what} was approved for ${where}`,
    description: approvedBy || `${requestedBy(deployment)}.`,
  };
}

/** A failed deployment tells the entity's owner. */
export function deploymentFailedNotification({
  event,
  deployment,
  entity,
}: DeploymentSituation): NotificationSendOptions | undefined {
  const owners = ownersOf(entity);
  if (event.type !== 'deployment.failed' || owners.length === 0) {
    return undefined;
  }
  const name = displayName(entity);
  const { version } = deployment.release;
  const reported =
    typeof event.details.message === 'string'
      ? event.details.message
      : lastTransitionMessage(deployment);
  return {
    recipients: { type: 'entity', entityRef: owners },
    payload: {
      title:
        deployment.kind === 'rollback'
          ? `The rollback of ${name} to ${version} failed in ${deployment.environment}`
          : `${name} ${version} failed to deploy to ${deployment.environment}`,
      description: sentence(reported),
      link: deploymentLink(entity, deployment.id),
      topic: TOPICS.deploymentFailed,
      scope: `immutable-releases:deployment:${deployment.id}:failed`,
      severity: 'high',
      metadata: deploymentMetadata(deployment),
    },
  };
}

/** A rollback the engine requested by itself tells the entity's owner. */
export function automaticRollbackNotification({
  event,
  deployment,
  entity,
}: DeploymentSituation): NotificationSendOptions | undefined {
  const owners = ownersOf(entity);
  if (
    event.type !== 'deployment.requested' ||
    deployment.kind !== 'rollback' ||
    deployment.requestedBy !== ENGINE_ACTOR ||
    owners.length === 0
  ) {
    return undefined;
  }
  return {
    recipients: { type: 'entity', entityRef: owners },
    payload: {
      title: `${displayName(entity)} is rolled back to ${
        deployment.release.version
      } in ${deployment.environment} automatically`,
      description: sentence(
        deployment.reason ?? 'Immutable Releases requested a rollback',
      ),
      link: deploymentLink(entity, deployment.id),
      topic: TOPICS.automaticRollback,
      scope: `immutable-releases:deployment:${deployment.id}:automatic-rollback`,
      severity: 'normal',
      metadata: deploymentMetadata(deployment),
    },
  };
}

/**
 * An environment whose observed digest is no release of the entity (an
 * out-of-band change) tells the entity's owner; a later episode in the same
 * environment updates the same notification.
 */
export function driftUnmanagedNotification(
  event: ReleaseEvent,
  entity: Entity,
): NotificationSendOptions | undefined {
  const owners = ownersOf(entity);
  if (notificationSubject(event) !== 'drift' || owners.length === 0) {
    return undefined;
  }
  const environment = event.environment ?? 'an environment';
  return {
    recipients: { type: 'entity', entityRef: owners },
    payload: {
      title: `${displayName(entity)} runs an unknown release in ${environment}`,
      description: describeUnmanaged(event, environment),
      link: `${entityPath(entity)}/releases`,
      topic: TOPICS.driftUnmanaged,
      scope: `immutable-releases:drift:${event.entityRef}:${environment}`,
      severity: 'high',
      metadata: {
        entityRef: event.entityRef,
        ...(event.environment ? { environment: event.environment } : {}),
      },
    },
  };
}

function describeUnmanaged(event: ReleaseEvent, environment: string): string {
  const { observedDigest, observedSource, observedAt } = event.details;
  const observed = [
    typeof observedDigest === 'string' ? observedDigest : undefined,
    typeof observedSource === 'string'
      ? `reported by ${observedSource}`
      : undefined,
    typeof observedAt === 'string' ? `at ${observedAt}` : undefined,
  ].filter(Boolean);
  return `What runs in ${environment}${
    observed.length > 0 ? ` (${observed.join(', ')})` : ''
  } is no release of ${
    event.entityRef
  }: it was changed outside Immutable Releases. Promote or roll back to a release to bring it back under control.`;
}

/** The deployment detail page: `/catalog/<namespace>/<kind>/<name>/releases/deployments/<id>`. */
export function deploymentLink(entity: Entity, deploymentId: string): string {
  return `${entityPath(entity)}/releases/deployments/${encodeURIComponent(
    deploymentId,
  )}`;
}

function entityPath(entity: Entity): string {
  const namespace = (
    entity.metadata.namespace ?? DEFAULT_NAMESPACE
  ).toLocaleLowerCase('en-US');
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    entity.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(entity.metadata.name)}`;
}

function deploymentMetadata(deployment: Deployment) {
  return {
    entityRef: deployment.entityRef,
    environment: deployment.environment,
    deploymentId: deployment.id,
    status: deployment.status,
  };
}

function displayName(entity: Entity): string {
  return entity.metadata.title ?? entity.metadata.name;
}

function requestedBy(deployment: Deployment): string {
  return `Requested by ${actorName(deployment.requestedBy)}${
    deployment.reason ? `: ${deployment.reason}` : ''
  }`;
}

/** A user by name, the engine as itself, anyone else by their subject. */
function actorName(actor: string): string {
  if (actor === ENGINE_ACTOR) {
    return 'Immutable Releases';
  }
  return isUserRef(actor) ? parseEntityRef(actor).name : actor;
}

function isUserRef(actor: string | undefined): actor is string {
  if (!actor) {
    return false;
  }
  try {
    return parseEntityRef(actor).kind.toLocaleLowerCase('en-US') === 'user';
  } catch {
    return false;
  }
}

function listNames(actors: string[]): string {
  const names = actors.map(actorName);
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function lastTransitionMessage(deployment: Deployment): string {
  return (
    deployment.transitions[deployment.transitions.length - 1]?.message ?? ''
  );
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) {
    return trimmed;
  }
  const capitalised = trimmed[0].toLocaleUpperCase('en-US') + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
