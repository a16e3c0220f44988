import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createPromoteReleaseAction,
  createRegisterReleaseAction,
  createRollbackReleaseAction,
  ReleasesApiClient,
} from './actions';

/**
 * Adds the `immutable-releases:register`, `immutable-releases:promote` and
 * `immutable-releases:rollback` actions to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleImmutableReleases = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'immutable-releases',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, discovery, auth }) {
        const client = new ReleasesApiClient({ discovery, auth });
        scaffolder.addActions(
          createRegisterReleaseAction({ client, config }),
          createPromoteReleaseAction({ client, config }),
          createRollbackReleaseAction({ client, config }),
        );
      },
    });
  },
});
