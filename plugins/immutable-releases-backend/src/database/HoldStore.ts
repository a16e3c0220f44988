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
  /** Removes the hold (with `unlessBlocking`, only one that does not block deployments); false when none was removed. */
  releaseHold(
    key: EnvironmentKey,
    options?: { unlessBlocking?: boolean },
  ): Promise<boolean>;
  /** Every hold that keeps pending deployments from starting, whatever the entity. */
  listBlockingHolds(): Promise<Array<EnvironmentKey & EnvironmentHold>>;
}
