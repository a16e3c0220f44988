import { Release } from 'backstage-plugin-immutable-releases-common';
import { AttestationVerdict } from '../../attestations/AttestationVerdict';
import {
  comparableRepository,
  readSlsaProvenance,
  SLSA_PROVENANCE_TYPES,
} from '../../attestations/slsaProvenance';
import { ProvenancePolicy } from '../../pipelines/attestationPolicies';
import { attestationName, reasonLines } from './signature';
import { GateRule, PromotionGateSnapshot, gate } from './GateSnapshot';

/**
 * A verified SLSA provenance attestation of the release names an allowed
 * builder and, with `sourceMustMatch`, the release's own repository and commit.
 */
export const provenance: GateRule<PromotionGateSnapshot> = ({
  environment,
  release,
  attestations,
}) => {
  const policy = environment.provenance;
  if (!policy) {
    return gate(
      'provenance',
      true,
      `${environment.name} requires no provenance`,
    );
  }
  const provenances = attestations.filter(
    a =>
      SLSA_PROVENANCE_TYPES.has(a.predicateType) &&
      a.verifiedBy !== null &&
      a.subjectDigests.includes(release.artifact.digest),
  );
  if (provenances.length === 0) {
    return gate(
      'provenance',
      false,
      `release ${release.version} has no SLSA provenance attestation verified with a configured key`,
    );
  }
  const problems: string[] = [];
  for (const attestation of provenances) {
    const problem = provenanceProblem(attestation, release, policy);
    if (!problem) {
      const read = readSlsaProvenance(attestation.statement!)!;
      return gate(
        'provenance',
        true,
        `built by ${read.builderId}${
          policy.sourceMustMatch
            ? ` from ${read.source.repository}@${read.source.commit}`
            : ''
        } (attestation ${attestation.id}, key ${attestation.verifiedBy})`,
      );
    }
    problems.push(`${attestationName(attestation)} ${problem}`);
  }
  return gate(
    'provenance',
    false,
    `no verified provenance of release ${
      release.version
    } is acceptable:${reasonLines(problems)}`,
  );
};

/** Why a verified provenance attestation does not do, or null when it does. */
function provenanceProblem(
  attestation: AttestationVerdict,
  release: Release,
  policy: ProvenancePolicy,
): string | null {
  const read = attestation.statement
    ? readSlsaProvenance(attestation.statement)
    : null;
  if (!read?.builderId) {
    return 'names no builder id';
  }
  if (!policy.builderIds.includes(read.builderId)) {
    return `was built by ${read.builderId}, which is not an allowed builder`;
  }
  if (!policy.sourceMustMatch) {
    return null;
  }
  const { repository, commit } = release.source;
  if (!repository || !commit) {
    return `cannot be compared: the release has no source repository and commit`;
  }
  if (!read.source.repository || !read.source.commit) {
    return 'names no source repository and commit';
  }
  const sameRepository =
    comparableRepository(read.source.repository) ===
    comparableRepository(repository);
  const sameCommit = read.source.commit.toLowerCase() === commit.toLowerCase();
  return sameRepository && sameCommit
    ? null
    : `was built from ${read.source.repository}@${read.source.commit}, not the release's ${repository}@${commit}`;
}
