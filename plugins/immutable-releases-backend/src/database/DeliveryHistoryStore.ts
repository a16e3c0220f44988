import {
  DeploymentKind,
  ReleaseSource,
} from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';

/** A deployment that was carried out to the end, with what delivery metrics need. */
export interface ExecutedDeployment {
  kind: DeploymentKind;
  status: 'succeeded' | 'failed';
  requestedAt: string;
  finishedAt: string;
  releaseCreatedAt: string;
  releaseSource: ReleaseSource;
}

/** Reads the history delivery (DORA) metrics are computed from. */
export interface DeliveryHistoryStore {
  /**
   * Deployments of the environment that ended `succeeded` or `failed` at or
   * after `since`, oldest first: one query, whatever their number.
   */
  listExecutedSince(
    key: EnvironmentKey,
    since: string,
  ): Promise<ExecutedDeployment[]>;
}
