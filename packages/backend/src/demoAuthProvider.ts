import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The header that names the demo user to sign in as. */
export const DEMO_USER_HEADER = 'x-demo-user';

/** The authenticator's result: the user entity the header names. */
interface DemoUserResult {
  userEntityRef: string;
}

/**
 * Reads `x-demo-user: alice` (or `user:default/alice`) from the request. It
 * trusts the header completely, which is why the provider is demo-only.
 */
export const demoUserAuthenticator = createProxyAuthenticator<
  void,
  DemoUserResult,
  undefined
>({
  async defaultProfileTransform(result) {
    return {
      profile: { displayName: parseEntityRef(result.userEntityRef).name },
    };
  },
  initialize() {},
  async authenticate({ req }) {
    const header = req.header(DEMO_USER_HEADER)?.trim();
    if (!header) {
      throw new AuthenticationError(
        `the demo sign-in needs a '${DEMO_USER_HEADER}' header naming a User entity, e.g. '${DEMO_USER_HEADER}: alice'`,
      );
    }
    let ref;
    try {
      ref = parseEntityRef(header, {
        defaultKind: 'user',
        defaultNamespace: 'default',
      });
    } catch (error) {
      throw new AuthenticationError(
        `${DEMO_USER_HEADER} '${header}' is not a user name or entity reference`,
        error,
      );
    }
    if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
      throw new AuthenticationError(
        `${DEMO_USER_HEADER} must name a User entity, not a ${ref.kind}`,
      );
    }
    return {
      result: {
        userEntityRef: stringifyEntityRef(ref).toLocaleLowerCase('en-US'),
      },
    };
  },
});

/**
 * DEMO ONLY. An auth provider (`/api/auth/demo/refresh`) that signs in as the
 * User entity named by the `x-demo-user` header, if that user exists in the
 * catalog, so a developer can act as several demo users from curl. Anyone who
 * can reach the backend can sign in as anyone: it only registers when
 * `auth.providers.demo.dangerouslyAllowSignInAsAnyUser` is true, and logs a
 * warning when it does.
 */
export const demoAuthProviderModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-user-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        if (
          !config.getOptionalBoolean(
            'auth.providers.demo.dangerouslyAllowSignInAsAnyUser',
          )
        ) {
          return;
        }
        logger.warn(
          `DEMO ONLY: the 'demo' auth provider signs in as any catalog user named by the '${DEMO_USER_HEADER}' header, without any proof. Never enable auth.providers.demo outside a local demo.`,
        );
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: demoUserAuthenticator,
            async signInResolver({ result }, ctx) {
              try {
                return await ctx.signInWithCatalogUser({
                  entityRef: result.userEntityRef,
                });
              } catch (error) {
                throw new AuthenticationError(
                  `${result.userEntityRef} is not a user in the catalog`,
                  error,
                );
              }
            },
          }),
        });
      },
    });
  },
});
