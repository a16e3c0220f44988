import LocalShippingIcon from '@material-ui/icons/LocalShipping';
import { Content } from '@backstage/core-components';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import { immutableReleasesApiRef } from './api/ImmutableReleasesApi';
import { ImmutableReleasesClient } from './api/ImmutableReleasesClient';
import { PORTAL_TAB_TITLES } from './components/ImmutableReleasesPage/tabTitles';
import { isImmutableReleasesAvailable } from './isImmutableReleasesAvailable';
import { rootRouteRef } from './routes';

/** The API client, talking to the backend plugin `immutable-releases`. */
const immutableReleasesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: immutableReleasesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ImmutableReleasesClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The portal page `/immutable-releases`, with its nav item "Releases": its two tabs are the
 * sub-pages below.
 */
const immutableReleasesPage = PageBlueprint.make({
  params: {
    path: '/immutable-releases',
    routeRef: rootRouteRef,
    title: 'Releases',
    icon: <LocalShippingIcon fontSize="inherit" />,
  },
});

const approvalsSubPage = SubPageBlueprint.make({
  name: 'approvals',
  params: {
    path: 'approvals',
    title: PORTAL_TAB_TITLES.approvals,
    loader: () =>
      import('./components/ApprovalInbox').then(m => (
        <Content>
          <m.ApprovalInbox />
        </Content>
      )),
  },
});

const fleetSubPage = SubPageBlueprint.make({
  name: 'fleet',
  params: {
    path: 'fleet',
    title: PORTAL_TAB_TITLES.fleet,
    loader: () =>
      import('./components/FleetMatrix').then(m => (
        <Content>
          <m.FleetMatrix />
        </Content>
      )),
  },
});

/** The Releases tab: pipeline, release history and audit timeline. */
const immutableReleasesEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'releases',
    title: 'Releases',
    filter: isImmutableReleasesAvailable,
    loader: () =>
      import('./components/EntityImmutableReleasesContent').then(m => (
        <m.EntityImmutableReleasesContent />
      )),
  },
});

const releaseDriftEntityCard = EntityCardBlueprint.make({
  name: 'drift',
  params: {
    filter: isImmutableReleasesAvailable,
    loader: () =>
      import('./components/EntityReleaseDriftCard').then(m => (
        <m.EntityReleaseDriftCard />
      )),
  },
});

const releaseRollbackEntityCard = EntityCardBlueprint.make({
  name: 'rollback',
  params: {
    filter: isImmutableReleasesAvailable,
    loader: () =>
      import('./components/EntityReleaseRollbackCard').then(m => (
        <m.EntityReleaseRollbackCard />
      )),
  },
});

const deliveryMetricsEntityCard = EntityCardBlueprint.make({
  name: 'delivery-metrics',
  params: {
    filter: isImmutableReleasesAvailable,
    loader: () =>
      import('./components/EntityDeliveryMetricsCard').then(m => (
        <m.EntityDeliveryMetricsCard />
      )),
  },
});

/**
 * The scaffolder form field `ImmutableReleasePicker`; it attaches to the scaffolder plugin's
 * form fields API, so templates can use it wherever the scaffolder is installed.
 */
const releasePickerFormField = FormFieldBlueprint.make({
  name: 'release-picker',
  params: {
    field: () =>
      import('./components/ImmutableReleasePicker').then(m =>
        createFormField({
          name: 'ImmutableReleasePicker',
          component: m.ImmutableReleasePicker,
          schema: m.ImmutableReleasePickerFieldSchema,
        }),
      ),
  },
});

/**
 * Immutable Releases for the new frontend system: the API, the portal page
 * (`/immutable-releases`, nav item "Releases") with what waits for the user's approval and
 * the fleet, the Releases entity tab (`/releases`), the drift, rollback and delivery metrics
 * entity cards and the scaffolder field `ImmutableReleasePicker`.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'immutable-releases',
  title: 'Immutable Releases',
  icon: <LocalShippingIcon fontSize="inherit" />,
  routes: {
    root: rootRouteRef,
  },
  extensions: [
    immutableReleasesApi,
    immutableReleasesPage,
    approvalsSubPage,
    fleetSubPage,
    immutableReleasesEntityContent,
    releaseDriftEntityCard,
    releaseRollbackEntityCard,
    deliveryMetricsEntityCard,
    releasePickerFormField,
  ],
});
