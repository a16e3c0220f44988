import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  immutableReleasesExecutorsExtensionPoint,
  immutableReleasesObservationsExtensionPoint,
} from 'backstage-plugin-immutable-releases-node';
import { ArgoCdApplicationSource } from './ArgoCdApplicationSource';
import { ArgoCdExecutor } from './ArgoCdExecutor';
import { readDriftSettings } from './driftSettings';
import { readExecutorSettings } from './executorSettings';

/**
 * Adds the `argocd` executor type and the Application observation sources
 * configured under `immutableReleases.drift.argocd` to the Immutable
 * Releases backend.
 *
 * @public
 */
export const immutableReleasesModuleArgoCd = createBackendModule({
  pluginId: 'immutable-releases',
  moduleId: 'argocd',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        executors: immutableReleasesExecutorsExtensionPoint,
        observations: immutableReleasesObservationsExtensionPoint,
      },
      async init({ config, executors, observations }) {
        executors.addExecutorType({
          type: 'argocd',
          create: ({ name, config: executorConfig }) =>
            new ArgoCdExecutor(
              readExecutorSettings(
                executorConfig,
                `immutableReleases.executors.${name}`,
              ),
            ),
        });
        for (const settings of readDriftSettings(config)) {
          observations.addObservationSource(
            ArgoCdApplicationSource.create(settings),
          );
        }
      },
    });
  },
});
