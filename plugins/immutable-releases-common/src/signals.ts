import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The signals channel on which the backend tells that something of an
 * entity's releases changed: `immutable-releases:<entity ref>`, the full ref
 * lower-cased, e.g. `immutable-releases:component:default/shop`.
 *
 * @public
 */
export function releaseSignalChannel(entityRef: string): string {
  const fullRef = stringifyEntityRef(parseEntityRef(entityRef));
  return `immutable-releases:${fullRef.toLocaleLowerCase('en-US')}`;
}

/**
 * A message on a {@link releaseSignalChannel}: what changed (`type`, e.g. a
 * deployment transition, a hold or a drift change), and the deployment and
 * environment it concerns when there is one.
 *
 * @public
 */
export type ReleaseSignal = {
  type: string;
  deploymentId?: string;
  environment?: string;
};
