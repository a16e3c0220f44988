import { createPermission } from '@backstage/plugin-permission-common';

/** The catalog's resource type: release permissions are decided per catalog entity. */
const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/** Read releases, deployments, environments, events and metrics. */
export const releaseReadPermission = createPermission({
  name: 'immutable-releases.release.read',
  attributes: { action: 'read' },
});

/** Register a release (and record checks on it) for an entity. */
export const releaseCreatePermission = createPermission({
  name: 'immutable-releases.release.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Revoke a release so it can never be promoted again. */
export const releaseRevokePermission = createPermission({
  name: 'immutable-releases.release.revoke',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Request a promotion (and cancel a pending deployment or release a hold). */
export const promotionCreatePermission = createPermission({
  name: 'immutable-releases.promotion.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Approve or reject a pending deployment. */
export const promotionApprovePermission = createPermission({
  name: 'immutable-releases.promotion.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Request a rollback. */
export const rollbackCreatePermission = createPermission({
  name: 'immutable-releases.rollback.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Promote during a freeze window, with a stated reason. */
export const freezeOverridePermission = createPermission({
  name: 'immutable-releases.freeze.override',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Report what actually runs in an environment. */
export const observationCreatePermission = createPermission({
  name: 'immutable-releases.observation.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the plugin, for registration with the permissions registry. */
export const immutableReleasesPermissions = [
  releaseReadPermission,
  releaseCreatePermission,
  releaseRevokePermission,
  promotionCreatePermission,
  promotionApprovePermission,
  rollbackCreatePermission,
  freezeOverridePermission,
  observationCreatePermission,
];
