import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  immutableReleasesExecutorsExtensionPoint,
  immutableReleasesObservationsExtensionPoint,
} from 'backstage-plugin-immutable-releases-node';
import { readDriftSettings } from './driftSettings';
import { readExecutorSettings } from './executorSettings';
import { KubernetesExecutor } from './KubernetesExecutor';
import { KubernetesPodSource } from './KubernetesPodSource';

/**
 * Adds the `kubernetes` executor type and the pod observation sources
 * configured under `immutableReleases.drift.kubernetes` to the Immutable
 * Releases backend. Clusters come from `kubernetes.clusterLocatorMethods`.
 *
 * @public
 */
export const immutableReleasesModuleKubernetes = createBackendModule({
  pluginId: 'immutable-releases',
  moduleId: 'kubernetes',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        executors: immutableReleasesExecutorsExtensionPoint,
        observations: immutableReleasesObservationsExtensionPoint,
      },
      async init({ config, executors, observations }) {
        executors.addExecutorType({
          type: 'kubernetes',
          create: ({ name, config: executorConfig }) =>
            new KubernetesExecutor(
              readExecutorSettings(
                config,
                executorConfig,
                `immutableReleases.executors.${name}`,
              ),
            ),
        });
        for (const settings of readDriftSettings(config)) {
          observations.addObservationSource(
            KubernetesPodSource.create(settings),
          );
        }
      },
    });
  },
});
