import { approvals } from './approvals';
import { freezeWindow } from './freezeWindow';
import {
  GateRule,
  PromotionGateSnapshot,
  RollbackGateSnapshot,
} from './GateSnapshot';
import { notRevoked } from './notRevoked';
import { provenance } from './provenance';
import { requiredChecks } from './requiredChecks';
import { signature } from './signature';
import { soakTime } from './soakTime';
import { upstream } from './upstream';

export * from './GateSnapshot';

/** The gates of a promotion, in the order they are shown. */
export const PROMOTION_GATES: ReadonlyArray<GateRule<PromotionGateSnapshot>> = [
  notRevoked,
  upstream,
  soakTime,
  requiredChecks,
  signature,
  provenance,
  freezeWindow,
  approvals,
];

/** Rollbacks redeploy what already ran in the environment: only revocation stops them. */
export const ROLLBACK_GATES: ReadonlyArray<GateRule<RollbackGateSnapshot>> = [
  notRevoked,
];
