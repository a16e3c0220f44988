import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { Requester } from '../promotions/context';

type ReleasesPermission =
  | BasicPermission
  | ResourcePermission<'catalog-entity'>;

/**
 * Who calls, and what the permission framework lets them do: every route
 * asks here, so the same request gets the same answer whichever route it
 * takes.
 */
export class RequestAccess {
  constructor(
    private readonly options: {
      auth: AuthService;
      httpAuth: HttpAuthService;
      permissions: PermissionsService;
    },
  ) {}

  /** The caller's credentials, and the requester the engine records. */
  async caller(req: Request<any, any, any, any>) {
    const credentials = await this.options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    return { credentials, requester: this.requesterOf(credentials) };
  }

  /**
   * The requester the engine records for credentials that reached us another
   * way than a request (an action invoked through the actions registry): a
   * user by their entity ref, a service by its subject, nobody else.
   */
  requesterOf(credentials: BackstageCredentials): Requester {
    const { auth } = this.options;
    if (auth.isPrincipal(credentials, 'user')) {
      return { actor: credentials.principal.userEntityRef, isUser: true };
    }
    if (auth.isPrincipal(credentials, 'service')) {
      return { actor: credentials.principal.subject, isUser: false };
    }
    throw new AuthenticationError(
      'a user or service must call; anonymous requests are not accepted',
    );
  }

  async isAllowed(
    credentials: BackstageCredentials,
    permission: ReleasesPermission,
    entityRef?: string,
  ): Promise<boolean> {
    const { permissions } = this.options;
    const [decision] =
      permission.type === 'resource'
        ? await permissions.authorize(
            [{ permission, resourceRef: entityRef! }],
            { credentials },
          )
        : await permissions.authorize([{ permission }], { credentials });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Of the entities, those on which the permission is allowed: one request for all. */
  async allowedEntities(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
  ): Promise<Set<string>> {
    if (entityRefs.length === 0) {
      return new Set();
    }
    const decisions = await this.options.permissions.authorize(
      entityRefs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    return new Set(
      entityRefs.filter(
        (_ref, index) => decisions[index].result === AuthorizeResult.ALLOW,
      ),
    );
  }

  /**
   * A filter of entities by the permission, for one request that filters
   * several batches. It asks the policy once, at once, whether the answer
   * depends on the entity at all: a definite allow or deny decides every
   * batch without another round trip; a conditional one is settled per
   * batch, entity by entity.
   */
  entitiesAllowedBy(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
  ): (entityRefs: string[]) => Promise<Set<string>> {
    // Where the question cannot be asked (the permission backend takes it
    // only from a plugin acting for a user, and some auth services do not
    // say so), the answer is settled entity by entity.
    const overall = this.options.permissions
      .authorizeConditional([{ permission }], { credentials })
      .then(
        ([decision]) => decision.result,
        () => AuthorizeResult.CONDITIONAL,
      );
    return async entityRefs => {
      switch (await overall) {
        case AuthorizeResult.ALLOW:
          return new Set(entityRefs);
        case AuthorizeResult.DENY:
          return new Set();
        default:
          return this.allowedEntities(credentials, permission, entityRefs);
      }
    };
  }

  /** Refuses with a NotAllowedError naming the permission and the entity. */
  async authorize(
    credentials: BackstageCredentials,
    permission: ReleasesPermission,
    entityRef?: string,
  ): Promise<void> {
    if (!(await this.isAllowed(credentials, permission, entityRef))) {
      throw new NotAllowedError(
        `${permission.name} is not allowed${
          entityRef ? ` on ${entityRef}` : ''
        }`,
      );
    }
  }

  /** Asks for the permission on every entity at once; one refusal refuses them all. */
  async authorizeEach(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
  ): Promise<void> {
    const allowed = await this.allowedEntities(
      credentials,
      permission,
      entityRefs,
    );
    const refused = entityRefs.filter(ref => !allowed.has(ref));
    if (refused.length > 0) {
      throw new NotAllowedError(
        `${permission.name} is not allowed on ${refused.join(', ')}`,
      );
    }
  }
}
