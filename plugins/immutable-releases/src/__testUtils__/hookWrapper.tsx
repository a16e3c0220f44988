import { ReactNode } from 'react';
import { AlertApi, alertApiRef } from '@backstage/core-plugin-api';
import { TestApiProvider } from '@backstage/test-utils';
import {
  ImmutableReleasesApi,
  immutableReleasesApiRef,
} from '../api/ImmutableReleasesApi';
import { mockAlertApi } from './render';

/** A `renderHook` wrapper that provides the given APIs. */
export function withApis(options: {
  api: ImmutableReleasesApi;
  alertApi?: AlertApi;
}) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [immutableReleasesApiRef, options.api],
        [alertApiRef, options.alertApi ?? mockAlertApi()],
      ]}
    >
      {children}
    </TestApiProvider>
  );
}
