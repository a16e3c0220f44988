import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  blockingGateFailures,
  GateResult,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../api/ImmutableReleasesApi';

/** The promotion whose gates are checked; nothing is asked without a release. */
export interface PromotionDryRunRequest {
  entityRef: string;
  releaseId?: string;
  environment: string;
  override?: { reason: string };
}

type DryRunState =
  | { state: 'idle' }
  | { state: 'running'; key: string }
  | { state: 'done'; key: string; gates: GateResult[] }
  | { state: 'error'; key: string; error: Error };

/**
 * The dry-run verdict of every gate for a promotion, asked again whenever the
 * release, the target environment or the override changes. An answer to an
 * earlier request is dropped, so the gates shown are always those of the
 * promotion as it is now.
 *
 * @param enabled - false while nothing should be asked (dialog closed, or the
 *   promotion already made).
 */
export function usePromotionDryRun(
  request: PromotionDryRunRequest,
  enabled: boolean,
) {
  const api = useApi(immutableReleasesApiRef);
  const { entityRef, releaseId, environment, override } = request;
  const [dryRun, setDryRun] = useState<DryRunState>({ state: 'idle' });
  const key = JSON.stringify([releaseId, environment, override]);

  useEffect(() => {
    if (!enabled || !releaseId || !environment) {
      return undefined;
    }
    let stale = false;
    setDryRun({ state: 'running', key });
    api
      .dryRunPromotion({
        entityRef,
        releaseId,
        environment,
        ...(override && { override }),
      })
      .then(
        result => {
          if (!stale) {
            setDryRun({ state: 'done', key, gates: result.gates });
          }
        },
        error => {
          if (!stale) {
            setDryRun({ state: 'error', key, error });
          }
        },
      );
    return () => {
      stale = true;
    };
    // key captures releaseId, environment and the override
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, enabled, key]);

  const gates =
    dryRun.state === 'done' && dryRun.key === key ? dryRun.gates : undefined;
  return {
    /** The gates of the promotion as it is now, once the dry run answered. */
    gates,
    /** The gates that would refuse the promotion. */
    blocking: gates ? blockingGateFailures(gates) : [],
    running: dryRun.state === 'running',
    error:
      dryRun.state === 'error' && dryRun.key === key ? dryRun.error : undefined,
  };
}
