import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { TERMINAL_DEPLOYMENT_STATUSES } from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../api/ImmutableReleasesApi';
import { useReleaseSignalRefreshKey } from './useReleaseSignal';

/**
 * How often a deployment that has not ended is reloaded even without a signal, for apps
 * without the signals plugin.
 */
export const LIVE_DEPLOYMENT_POLL_MS = 5000;

/**
 * One deployment of the entity, reloaded when the backend signals a change of the entity's
 * deployments and, until it ends, every {@link LIVE_DEPLOYMENT_POLL_MS}.
 */
export function useLiveDeployment(entityRef: string, deploymentId: string) {
  const api = useApi(immutableReleasesApiRef);
  const signalKey = useReleaseSignalRefreshKey(entityRef);
  const [actionKey, setActionKey] = useState(0);
  const state = useAsyncRetry(
    () => api.getDeployment(deploymentId),
    [api, deploymentId, signalKey, actionKey],
  );
  const status = state.value?.status;
  const ended = !status || TERMINAL_DEPLOYMENT_STATUSES.includes(status);
  const { retry } = state;
  useEffect(() => {
    if (ended) {
      return undefined;
    }
    const timer = setInterval(retry, LIVE_DEPLOYMENT_POLL_MS);
    return () => clearInterval(timer);
  }, [ended, retry]);
  return { ...state, reload: () => setActionKey(key => key + 1) };
}
