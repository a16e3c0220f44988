import { createPublicKey } from 'node:crypto';
import {
  promotionSnapshot,
  testEnvironment,
  testRelease,
} from '../../__testUtils__/gateSnapshots';
import {
  generateSigningKey,
  statement,
} from '../../__testUtils__/sigstoreBundles';
import { AttestationVerdict } from '../../attestations/AttestationVerdict';
import { signature } from './signature';

const DIGEST = testRelease().artifact.digest;
const OTHER = `sha256:${'b'.repeat(64)}`;
const signing = testEnvironment({
  signature: {
    keys: ['ci', 'release'].map(name => ({
      name,
      publicKey: createPublicKey(generateSigningKey(name).publicKey),
    })),
  },
});

function verdict(overrides: Partial<AttestationVerdict>): AttestationVerdict {
  return {
    id: 'att-1',
    predicateType: 'https://slsa.dev/provenance/v1',
    subjectDigests: [DIGEST],
    statement: statement({ subjectDigests: [DIGEST] }),
    verifiedBy: 'ci',
    ...overrides,
  };
}

describe('signature', () => {
  it('passes when the environment requires no signature', () => {
    expect(signature(promotionSnapshot())).toEqual({
      name: 'signature',
      passed: true,
      message: 'production requires no signature',
    });
  });

  it('fails for a release without attestations, naming the keys', () => {
    expect(
      signature(promotionSnapshot({ environment: signing, attestations: [] })),
    ).toEqual({
      name: 'signature',
      passed: false,
      message:
        'release 1.2.0 has no attestation; production requires one signed with a configured key (ci, release)',
    });
  });

  it('passes with one verified attestation of the release digest, naming its key', () => {
    const result = signature(
      promotionSnapshot({
        environment: signing,
        attestations: [
          verdict({
            id: 'att-0',
            verifiedBy: null,
            failure: 'does not verify',
          }),
          verdict({ verifiedBy: 'release' }),
        ],
      }),
    );
    expect(result).toEqual({
      name: 'signature',
      passed: true,
      message:
        'attestation https://slsa.dev/provenance/v1 verified with key release',
    });
  });

  it('says why each attestation failed', () => {
    const result = signature(
      promotionSnapshot({
        environment: signing,
        attestations: [
          verdict({
            id: 'att-1',
            verifiedBy: null,
            failure: 'does not verify with any configured key (ci: bad)',
          }),
          verdict({ id: 'att-2', subjectDigests: [OTHER] }),
        ],
      }),
    );
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      `no attestation of release 1.2.0 verifies with a configured key (ci, release):\n` +
        `- https://slsa.dev/provenance/v1 (att-1) does not verify with any configured key (ci: bad)\n` +
        `- https://slsa.dev/provenance/v1 (att-2) verified with key ci but its subjects (${OTHER}) do not include ${DIGEST}`,
    );
  });
});
