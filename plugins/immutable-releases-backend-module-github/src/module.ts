import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { immutableReleasesExecutorsExtensionPoint } from 'backstage-plugin-immutable-releases-node';
import { readExecutorSettings } from './executorSettings';
import { GithubActionsExecutor } from './GithubActionsExecutor';

/**
 * Adds the `github-actions` executor type to the Immutable Releases backend.
 * Credentials come from `integrations.github`, as for the scaffolder's
 * GitHub actions.
 *
 * @public
 */
export const immutableReleasesModuleGithub = createBackendModule({
  pluginId: 'immutable-releases',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        executors: immutableReleasesExecutorsExtensionPoint,
      },
      async init({ config, executors }) {
        // Read only when an executor of this type is configured.
        let integrations: ScmIntegrations | undefined;
        let credentials: GithubCredentialsProvider | undefined;
        executors.addExecutorType({
          type: 'github-actions',
          create: ({ name, config: executorConfig }) => {
            integrations ??= ScmIntegrations.fromConfig(config);
            credentials ??=
              DefaultGithubCredentialsProvider.fromIntegrations(integrations);
            return new GithubActionsExecutor(
              readExecutorSettings(
                integrations,
                executorConfig,
                `immutableReleases.executors.${name}`,
              ),
              credentials,
            );
          },
        });
      },
    });
  },
});
