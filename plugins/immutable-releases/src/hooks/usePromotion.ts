import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Deployment,
  GateResult,
  PromotionRequest,
} from 'backstage-plugin-immutable-releases-common';
import {
  gatesOfPromotionError,
  immutableReleasesApiRef,
} from '../api/ImmutableReleasesApi';

/**
 * Asks the backend for a promotion. A refusal by the gates (409) keeps the
 * gates it carries apart from any other failure, so they can be shown.
 */
export function usePromotion(onPromoted?: (deployment: Deployment) => void) {
  const api = useApi(immutableReleasesApiRef);
  const [submitting, setSubmitting] = useState(false);
  const [refusedGates, setRefusedGates] = useState<GateResult[]>();
  const [error, setError] = useState<Error>();
  const [deployment, setDeployment] = useState<Deployment>();

  const promote = async (request: Omit<PromotionRequest, 'dryRun'>) => {
    setSubmitting(true);
    setRefusedGates(undefined);
    setError(undefined);
    try {
      const created = await api.promote(request);
      setDeployment(created);
      onPromoted?.(created);
    } catch (caught) {
      const gates = gatesOfPromotionError(caught);
      if (gates) {
        setRefusedGates(gates);
      } else {
        setError(caught as Error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return { promote, submitting, refusedGates, error, deployment };
}
