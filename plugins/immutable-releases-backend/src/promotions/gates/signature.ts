import { AttestationVerdict } from '../../attestations/AttestationVerdict';
import { GateRule, PromotionGateSnapshot, gate } from './GateSnapshot';

/**
 * At least one attestation of the release verifies against one of the
 * environment's keys and names the release digest among its subjects.
 */
export const signature: GateRule<PromotionGateSnapshot> = ({
  environment,
  release,
  attestations,
}) => {
  if (!environment.signature) {
    return gate('signature', true, `${environment.name} requires no signature`);
  }
  const keyNames = environment.signature.keys.map(key => key.name).join(', ');
  if (attestations.length === 0) {
    return gate(
      'signature',
      false,
      `release ${release.version} has no attestation; ${environment.name} requires one signed with a configured key (${keyNames})`,
    );
  }
  const digest = release.artifact.digest;
  const signed = attestations.find(
    a => a.verifiedBy !== null && a.subjectDigests.includes(digest),
  );
  if (signed) {
    return gate(
      'signature',
      true,
      `attestation ${signed.predicateType} verified with key ${signed.verifiedBy}`,
    );
  }
  return gate(
    'signature',
    false,
    `no attestation of release ${
      release.version
    } verifies with a configured key (${keyNames}):${reasonLines(
      attestations.map(a => `${attestationName(a)} ${whyNot(a, digest)}`),
    )}`,
  );
};

/** One reason per attestation, each on a line of its own (the UI shows them as a list). */
export function reasonLines(reasons: string[]): string {
  return reasons.map(reason => `\n- ${reason}`).join('');
}

/** How a gate message names an attestation: its predicate type and id. */
export function attestationName(attestation: AttestationVerdict): string {
  return `${attestation.predicateType} (${attestation.id})`;
}

function whyNot(attestation: AttestationVerdict, digest: string): string {
  if (attestation.verifiedBy === null) {
    return attestation.failure ?? 'does not verify';
  }
  return `verified with key ${
    attestation.verifiedBy
  } but its subjects (${attestation.subjectDigests.join(
    ', ',
  )}) do not include ${digest}`;
}
