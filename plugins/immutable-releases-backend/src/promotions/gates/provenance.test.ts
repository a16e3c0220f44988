import { createPublicKey } from 'node:crypto';
import {
  promotionSnapshot,
  testEnvironment,
  testRelease,
} from '../../__testUtils__/gateSnapshots';
import {
  BUILDER_ID,
  generateSigningKey,
  provenanceStatement,
  statement,
} from '../../__testUtils__/sigstoreBundles';
import { AttestationVerdict } from '../../attestations/AttestationVerdict';
import { ProvenancePolicy } from '../../pipelines/attestationPolicies';
import { provenance } from './provenance';

const release = testRelease({
  source: { repository: 'https://github.com/acme/checkout', commit: 'abc123' },
});
const DIGEST = release.artifact.digest;

function environment(policy: Partial<ProvenancePolicy> = {}) {
  return testEnvironment({
    signature: {
      keys: [
        {
          name: 'ci',
          publicKey: createPublicKey(generateSigningKey().publicKey),
        },
      ],
    },
    provenance: { builderIds: [BUILDER_ID], sourceMustMatch: true, ...policy },
  });
}

function provenanceVerdict(
  options: { builderId?: string; repository?: string; commit?: string } = {},
  overrides: Partial<AttestationVerdict> = {},
): AttestationVerdict {
  return {
    id: 'att-1',
    predicateType: 'https://slsa.dev/provenance/v1',
    subjectDigests: [DIGEST],
    statement: provenanceStatement({
      digest: DIGEST,
      commit: 'abc123',
      ...options,
    }),
    verifiedBy: 'ci',
    ...overrides,
  };
}

const evaluate = (
  attestations: AttestationVerdict[],
  policy: Partial<ProvenancePolicy> = {},
) =>
  provenance(
    promotionSnapshot({
      release,
      environment: environment(policy),
      attestations,
    }),
  );

describe('provenance', () => {
  it('passes when the environment requires no provenance', () => {
    expect(provenance(promotionSnapshot()).message).toBe(
      'production requires no provenance',
    );
  });

  it('passes for a verified provenance by an allowed builder from the release commit', () => {
    expect(evaluate([provenanceVerdict()])).toEqual({
      name: 'provenance',
      passed: true,
      message: `built by ${BUILDER_ID} from https://github.com/acme/checkout@abc123 (attestation att-1, key ci)`,
    });
  });

  it('fails without a verified SLSA provenance of the release digest', () => {
    const unverified = provenanceVerdict({}, { verifiedBy: null });
    const otherType = provenanceVerdict(
      {},
      {
        predicateType: 'https://example.com/test/v1',
        statement: statement({ subjectDigests: [DIGEST] }),
      },
    );
    expect(evaluate([unverified, otherType])).toEqual({
      name: 'provenance',
      passed: false,
      message:
        'release 1.2.0 has no SLSA provenance attestation verified with a configured key',
    });
  });

  it('names a builder that is not allowed', () => {
    const result = evaluate([
      provenanceVerdict({ builderId: 'https://evil.example.com/builder' }),
    ]);
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      'no verified provenance of release 1.2.0 is acceptable:\n- https://slsa.dev/provenance/v1 (att-1) was built by https://evil.example.com/builder, which is not an allowed builder',
    );
  });

  it('names a source commit or repository that differs from the release', () => {
    const result = evaluate([
      provenanceVerdict({ commit: 'fff999' }, { id: 'att-1' }),
      provenanceVerdict(
        { repository: 'https://github.com/acme/other' },
        { id: 'att-2' },
      ),
    ]);
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      'no verified provenance of release 1.2.0 is acceptable:\n' +
        "- https://slsa.dev/provenance/v1 (att-1) was built from https://github.com/acme/checkout@fff999, not the release's https://github.com/acme/checkout@abc123\n" +
        "- https://slsa.dev/provenance/v1 (att-2) was built from https://github.com/acme/other@abc123, not the release's https://github.com/acme/checkout@abc123",
    );
  });

  it('compares no source without sourceMustMatch, and needs one with it', () => {
    const elsewhere = provenanceVerdict({ commit: 'fff999' });
    expect(evaluate([elsewhere], { sourceMustMatch: false })).toMatchObject({
      passed: true,
      message: `built by ${BUILDER_ID} (attestation att-1, key ci)`,
    });
    const withoutSource = provenance(
      promotionSnapshot({
        release: testRelease(),
        environment: environment(),
        attestations: [provenanceVerdict()],
      }),
    );
    expect(withoutSource.message).toMatch(
      /cannot be compared: the release has no source repository and commit$/,
    );
  });
});
