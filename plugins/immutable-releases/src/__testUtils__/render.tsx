import { ReactNode } from 'react';
import { Entity } from '@backstage/catalog-model';
import { AlertApi, alertApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  ImmutableReleasesApi,
  immutableReleasesApiRef,
} from '../api/ImmutableReleasesApi';
import { entity } from './fixtures';

export function mockAlertApi(): jest.Mocked<Pick<AlertApi, 'post'>> & AlertApi {
  return {
    post: jest.fn(),
    alert$: () => ({
      subscribe: () => ({ unsubscribe: () => {}, closed: false }),
      [Symbol.observable]() {
        return this;
      },
    }),
  } as unknown as jest.Mocked<Pick<AlertApi, 'post'>> & AlertApi;
}

/**
 * Renders an element on the page of the test entity with the given APIs; without a
 * `signalApi` the app has no signals plugin.
 */
export function renderOnEntityPage(
  element: ReactNode,
  options: {
    api: ImmutableReleasesApi;
    permissionApi?: ReturnType<typeof mockApis.permission>;
    alertApi?: AlertApi;
    signalApi?: SignalApi;
    entity?: Entity;
    /** The browser's location, e.g. `/releases/deployments/d1`. */
    path?: string;
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [immutableReleasesApiRef, options.api],
        [permissionApiRef, options.permissionApi ?? mockApis.permission()],
        [alertApiRef, options.alertApi ?? mockAlertApi()],
        ...(options.signalApi
          ? [[signalApiRef, options.signalApi] as const]
          : []),
      ]}
    >
      <EntityProvider entity={options.entity ?? entity}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    // Entity pages (and the tab's links below them) where the catalog mounts them.
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      ...(options.path && { routeEntries: [options.path] }),
    },
  );
}

/**
 * Renders an element of the portal page (no entity around it) with the given APIs, entity
 * pages mounted where the catalog mounts them; without a `signalApi` the app has no signals
 * plugin.
 */
export function renderOnPortalPage(
  element: ReactNode,
  options: {
    api: ImmutableReleasesApi;
    alertApi?: AlertApi;
    signalApi?: SignalApi;
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [immutableReleasesApiRef, options.api],
        [alertApiRef, options.alertApi ?? mockAlertApi()],
        ...(options.signalApi
          ? [[signalApiRef, options.signalApi] as const]
          : []),
      ]}
    >
      {element}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** A promise the test resolves when it wants to. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
