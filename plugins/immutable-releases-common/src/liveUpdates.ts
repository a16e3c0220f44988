import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The signal channel on which the backend announces changes to one entity's
 * deployments, holds and drift: `immutable-releases:<entityRef>`, with the
 * ref in its full, lower-cased form (`component:default/checkout`).
 *
 * @public
 */
export function immutableReleasesSignalChannel(entityRef: string): string {
  const fullRef = stringifyEntityRef(parseEntityRef(entityRef));
  return `immutable-releases:${fullRef.toLocaleLowerCase('en-US')}`;
}

/**
 * What a signal on {@link immutableReleasesSignalChannel} says: the type of
 * the audit event that changed something (e.g. `deployment.running`,
 * `hold.set`, `drift.changed`), and the deployment and environment it
 * concerns, so a page can refresh what changed.
 *
 * @public
 */
export type ImmutableReleasesSignal = {
  type: string;
  deploymentId?: string;
  environment?: string;
};

/**
 * The notification topics of Immutable Releases, for notification settings
 * and processors that route by topic.
 *
 * @public
 */
export const IMMUTABLE_RELEASES_NOTIFICATION_TOPICS = {
  /** A deployment waits for approvals; updated in place once decided. */
  approvalRequested: 'immutable-releases.approval-requested',
  /** A deployment failed. */
  deploymentFailed: 'immutable-releases.deployment-failed',
  /** The engine rolled an environment back by itself. */
  automaticRollback: 'immutable-releases.automatic-rollback',
  /** What runs in an environment is no release of the entity. */
  driftUnmanaged: 'immutable-releases.drift-unmanaged',
} as const;
