import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  freezeOverridePermission,
  observationCreatePermission,
  promotionApprovePermission,
  promotionCreatePermission,
  releaseCreatePermission,
  releaseReadPermission,
  releaseRevokePermission,
  rollbackCreatePermission,
} from 'backstage-plugin-immutable-releases-common';

/** The group whose members may approve deployments unless config names another. */
export const DEFAULT_APPROVER_GROUP = 'group:default/release-managers';

/** Permissions an owner of the entity holds: decided by the catalog's `IS_ENTITY_OWNER` rule. */
const OWNER_PERMISSIONS = [
  releaseCreatePermission,
  releaseRevokePermission,
  promotionCreatePermission,
  rollbackCreatePermission,
  observationCreatePermission,
];

/** Permissions only members of the approver group hold. */
const APPROVER_PERMISSIONS = [
  promotionApprovePermission,
  freezeOverridePermission,
];

/**
 * The demo's permission policy for users:
 *
 * - everyone may read releases, deployments and the audit trail;
 * - owners of an entity (its owner group's members) may register, revoke,
 *   promote and roll back its releases, and report observations;
 * - only members of the approver group may approve or reject deployments and
 *   override freeze windows;
 * - any other permission of Immutable Releases is refused; everything else
 *   (catalog, scaffolder, …) is allowed.
 *
 * Service principals (CI static tokens, other plugins) never reach a policy:
 * restrict them with `accessRestrictions` in `backend.auth.externalAccess`.
 */
export class ImmutableReleasesDemoPolicy implements PermissionPolicy {
  private readonly approverGroup: string;

  constructor(options: { approverGroup: string }) {
    this.approverGroup = normalizeGroupRef(options.approverGroup);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('immutable-releases.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, releaseReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (APPROVER_PERMISSIONS.some(p => isPermission(permission, p))) {
      const isApprover = user.info.ownershipEntityRefs.some(
        ref => ref.toLocaleLowerCase('en-US') === this.approverGroup,
      );
      return {
        result: isApprover ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    if (
      OWNER_PERMISSIONS.some(p => isPermission(permission, p)) &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}

function normalizeGroupRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

/**
 * Installs {@link ImmutableReleasesDemoPolicy} in the permission backend; the
 * approver group is `immutableReleasesDemo.approverGroup`.
 */
export const immutableReleasesDemoPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'immutable-releases-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(
          new ImmutableReleasesDemoPolicy({
            approverGroup:
              config.getOptionalString('immutableReleasesDemo.approverGroup') ??
              DEFAULT_APPROVER_GROUP,
          }),
        );
      },
    });
  },
});
