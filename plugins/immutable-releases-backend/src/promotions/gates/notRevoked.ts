import { GateRule, RollbackGateSnapshot, gate } from './GateSnapshot';

/** A revoked release goes nowhere, not even back by a rollback. */
export const notRevoked: GateRule<RollbackGateSnapshot> = ({
  release,
  revocation,
}) =>
  revocation
    ? gate(
        'not-revoked',
        false,
        `release ${release.version} was revoked: ${revocation.reason}`,
      )
    : gate('not-revoked', true, `release ${release.version} is not revoked`);
