import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { findPaths } from '@backstage/cli-common';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { immutableReleasesPermissions } from 'backstage-plugin-immutable-releases-common';
import {
  DeploymentExecutorFactory,
  immutableReleasesExecutorsExtensionPoint,
  immutableReleasesObservationsExtensionPoint,
  ObservationSource,
} from 'backstage-plugin-immutable-releases-node';
import { ReleasesDatabase } from './database/ReleasesDatabase';
import { builtinExecutorFactories } from './executors/builtinExecutors';
import { createImmutableReleasesEngine } from './engine';
import { HttpProbeSource } from './drift/HttpProbeSource';
import { ObservationScheduler } from './drift/ObservationScheduler';
import { createRouter } from './api/router';
import { AuthorizedOperations } from './api/AuthorizedOperations';
import { RequestAccess } from './api/RequestAccess';
import { registerReleasesActions } from './actions/registerReleasesActions';

/**
 * The Immutable Releases backend plugin: an append-only registry of releases
 * per catalog entity, gated promotions and rollbacks, and an audit trail.
 *
 * @public
 */
export const immutableReleasesPlugin = createBackendPlugin({
  pluginId: 'immutable-releases',
  register(env) {
    const executorFactories = new Map<string, DeploymentExecutorFactory>();
    env.registerExtensionPoint(immutableReleasesExecutorsExtensionPoint, {
      addExecutorType(factory) {
        if (executorFactories.has(factory.type)) {
          throw new Error(
            `executor type '${factory.type}' is already registered`,
          );
        }
        executorFactories.set(factory.type, factory);
      },
    });
    const observationSources: ObservationSource[] = [];
    env.registerExtensionPoint(immutableReleasesObservationsExtensionPoint, {
      addObservationSource(source) {
        observationSources.push(source);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        instanceMetadata: coreServices.rootInstanceMetadata,
        // Without their backends, the default signals service publishes to
        // the events service, where nothing listens, and the default
        // notification service fails to send, which is logged and ignored.
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, httpRouter, scheduler, lifecycle } = deps;
        for (const factory of builtinExecutorFactories(
          findPaths(process.cwd()).targetRoot,
        )) {
          if (!executorFactories.has(factory.type)) {
            executorFactories.set(factory.type, factory);
          }
        }
        deps.permissionsRegistry.addPermissions(immutableReleasesPermissions);
        const installedPlugins =
          await deps.instanceMetadata.getInstalledPlugins();

        const engine = createImmutableReleasesEngine({
          config,
          logger,
          db: await ReleasesDatabase.create(deps.database, {
            preparedStatements: config.getOptionalBoolean(
              'immutableReleases.database.preparedStatements',
            ),
          }),
          catalog: deps.catalog,
          auth: deps.auth,
          auditor: deps.auditor,
          executorFactories,
          signals: deps.signals,
          notifications: {
            service: deps.notifications,
            backendInstalledHere: installedPlugins.some(
              plugin => plugin.pluginId === 'notifications',
            ),
          },
        });

        const access = new RequestAccess({
          auth: deps.auth,
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
        });
        const operations = new AuthorizedOperations({ access, ...engine });
        httpRouter.use(
          await createRouter({ logger, access, operations, ...engine }),
        );
        registerReleasesActions({
          actionsRegistry: deps.actionsRegistry,
          operations,
          logger,
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        // Every replica sweeps: the database decides who wins each deployment
        // and each automatic promotion whose soak time has passed.
        await scheduler.scheduleTask({
          id: 'immutable-releases-recover-deployments',
          scope: 'local',
          frequency: { seconds: 10 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 1 },
          fn: async () => {
            await engine.recovery.recover();
            await engine.automaticPromotions.runScheduledPromotions();
          },
        });
        lifecycle.addShutdownHook(async () => {
          await engine.runner.stop();
          // What stopping recorded still reaches signals and notifications.
          await engine.audit.whenListenersTold();
        });

        // Probes and other observation sources run as global tasks: one replica at a time.
        const observationScheduler = ObservationScheduler.create({
          sources: [
            ...engine.drift.probes.map(probe =>
              HttpProbeSource.create(probe, {
                concurrency: engine.drift.concurrency,
              }),
            ),
            ...observationSources,
          ],
          observations: engine.observations,
          targets: engine.observationTargets,
          scheduler,
          logger,
        });
        await observationScheduler.start();
        lifecycle.addShutdownHook(() => observationScheduler.stop());
      },
    });
  },
});
