import { EnvironmentHold } from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';

/** Holds stop automatic promotion into an environment after a rollback. */
export interface HoldStore {
  /** Sets the hold, replacing an earlier one. */
  setHold(key: EnvironmentKey, hold: EnvironmentHold): Promise<void>;
  getHolds(entityRef: string): Promise<Map<string, EnvironmentHold>>;
  /** Removes the hold; false when there was none. */
  releaseHold(key: EnvironmentKey): Promise<boolean>;
}
