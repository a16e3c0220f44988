import { EnvironmentHold } from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';

/**
 * Holds stop automatic promotion into an environment after a rollback; a
 * blocking hold also keeps pending deployments from starting.
 */
export interface HoldStore {
  /** Sets the hold, replacing an earlier one. */
  setHold(key: EnvironmentKey, hold: EnvironmentHold): Promise<void>;
  getHolds(entityRef: string): Promise<Map<string, EnvironmentHold>>;
  /** The holds of several entities in one query: by entity ref, then environment. */
  getHoldsOfEntities(
    entityRefs: string[],
  ): Promise<Map<string, Map<string, EnvironmentHold>>>;
  /** Removes the hold; false when there was none. */
  releaseHold(key: EnvironmentKey): Promise<boolean>;
  /** Every hold that keeps pending deployments from starting, whatever the entity. */
  listBlockingHolds(): Promise<Array<EnvironmentKey & EnvironmentHold>>;
}
