import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { immutableReleasesApiRef } from './api/ImmutableReleasesApi';
import { ImmutableReleasesClient } from './api/ImmutableReleasesClient';
import {
  ImmutableReleasePicker,
  ImmutableReleasePickerFieldSchema,
} from './components/ImmutableReleasePicker';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The Immutable Releases frontend plugin for the legacy frontend system.
 *
 * @public
 */
export const immutableReleasesPlugin = createPlugin({
  id: 'immutable-releases',
  apis: [
    createApiFactory({
      api: immutableReleasesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ImmutableReleasesClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The portal page: deployments waiting for the user's approval, and the fleet of entities
 * against their environments. Mount it on a route of the app, e.g. `/immutable-releases`.
 *
 * @public
 */
export const ImmutableReleasesPage = immutableReleasesPlugin.provide(
  createRoutableExtension({
    name: 'ImmutableReleasesPage',
    component: () =>
      import('./components/ImmutableReleasesPage').then(
        m => m.ImmutableReleasesPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The Releases tab of an entity page: pipeline, release history and audit timeline.
 *
 * @public
 */
export const EntityImmutableReleasesContent = immutableReleasesPlugin.provide(
  createRoutableExtension({
    name: 'EntityImmutableReleasesContent',
    component: () =>
      import('./components/EntityImmutableReleasesContent').then(
        m => m.EntityImmutableReleasesContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * Per environment: the digest that should run against the one observed, and the drift status.
 *
 * @public
 */
export const EntityReleaseDriftCard = immutableReleasesPlugin.provide(
  createComponentExtension({
    name: 'EntityReleaseDriftCard',
    component: {
      lazy: () =>
        import('./components/EntityReleaseDriftCard').then(
          m => m.EntityReleaseDriftCard,
        ),
    },
  }),
);

/**
 * Per environment: the current release, the known-good target and a Roll back action.
 *
 * @public
 */
export const EntityReleaseRollbackCard = immutableReleasesPlugin.provide(
  createComponentExtension({
    name: 'EntityReleaseRollbackCard',
    component: {
      lazy: () =>
        import('./components/EntityReleaseRollbackCard').then(
          m => m.EntityReleaseRollbackCard,
        ),
    },
  }),
);

/**
 * The four DORA figures of one environment over the last 30 days.
 *
 * @public
 */
export const EntityDeliveryMetricsCard = immutableReleasesPlugin.provide(
  createComponentExtension({
    name: 'EntityDeliveryMetricsCard',
    component: {
      lazy: () =>
        import('./components/EntityDeliveryMetricsCard').then(
          m => m.EntityDeliveryMetricsCard,
        ),
    },
  }),
);

/**
 * The scaffolder field `ImmutableReleasePicker` for the legacy frontend system: the releases of
 * the entity chosen in another field of the form; its value is a release version. Put it inside
 * `<ScaffolderFieldExtensions>` of the scaffolder route.
 *
 * @public
 */
export const ImmutableReleasePickerFieldExtension =
  immutableReleasesPlugin.provide(
    createScaffolderFieldExtension({
      name: 'ImmutableReleasePicker',
      component: ImmutableReleasePicker,
      schema: ImmutableReleasePickerFieldSchema.schema,
    }),
  );
