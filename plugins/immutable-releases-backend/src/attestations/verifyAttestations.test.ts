import { createPublicKey } from 'node:crypto';
import {
  corruptSignature,
  generateSigningKey,
  provenanceStatement,
  signBundle,
  statement,
  TestSigningKey,
} from '../__testUtils__/sigstoreBundles';
import { StoredAttestation } from '../database/ReleaseStore';
import { SignaturePolicy } from '../pipelines/attestationPolicies';
import { parseAttestationBundle } from './attestationBundle';
import { verifyAttestations } from './verifyAttestations';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ci = generateSigningKey('ci');
const release = generateSigningKey('release');
const stranger = generateSigningKey('stranger');

function policyOf(...keys: TestSigningKey[]): SignaturePolicy {
  return {
    keys: keys.map(key => ({
      name: key.name,
      publicKey: createPublicKey(key.publicKey),
    })),
  };
}

function stored(bundle: unknown, id = 'attestation-1'): StoredAttestation {
  const parsed = parseAttestationBundle(bundle);
  return {
    id,
    predicateType: parsed.predicateType,
    subjectDigests: parsed.subjectDigests,
    recordedAt: '2026-11-30T09:00:00.000Z',
    recordedBy: 'ci',
    bundle,
  };
}

describe('verifyAttestations', () => {
  it('names the configured key a bundle verifies with, whatever its hint', () => {
    const statementValue = provenanceStatement({ digest: DIGEST });
    const [verdict] = verifyAttestations(
      [stored(signBundle(statementValue, release, { hint: 'anything' }))],
      policyOf(ci, release),
    );
    expect(verdict).toEqual({
      id: 'attestation-1',
      predicateType: 'https://slsa.dev/provenance/v1',
      subjectDigests: [DIGEST],
      statement: statementValue,
      verifiedBy: 'release',
    });
  });

  it.each([
    'application/vnd.dev.sigstore.bundle+json;version=0.1',
    'application/vnd.dev.sigstore.bundle+json;version=0.2',
    'application/vnd.dev.sigstore.bundle+json;version=0.3',
  ])('verifies a %s bundle', mediaType => {
    const [verdict] = verifyAttestations(
      [
        stored(
          signBundle(statement({ subjectDigests: [DIGEST] }), ci, {
            mediaType,
          }),
        ),
      ],
      policyOf(ci),
    );
    expect(verdict.verifiedBy).toBe('ci');
  });

  it('says why a bundle signed by another key does not verify, for each key', () => {
    const [verdict] = verifyAttestations(
      [stored(signBundle(statement({ subjectDigests: [DIGEST] }), stranger))],
      policyOf(ci, release),
    );
    expect(verdict.verifiedBy).toBeNull();
    expect(verdict.failure).toBe(
      'does not verify with any configured key (ci: signature verification failed; release: signature verification failed)',
    );
  });

  it('does not verify a corrupted signature, nor a payload changed after signing', () => {
    const bundle = signBundle(statement({ subjectDigests: [DIGEST] }), ci);
    const changedPayload = {
      ...bundle,
      dsseEnvelope: {
        ...bundle.dsseEnvelope,
        payload: Buffer.from(
          JSON.stringify(
            statement({ subjectDigests: [`sha256:${'b'.repeat(64)}`] }),
          ),
        ).toString('base64'),
      },
    };
    const verdicts = verifyAttestations(
      [stored(corruptSignature(bundle), 'a'), stored(changedPayload, 'b')],
      policyOf(ci),
    );
    expect(verdicts.map(v => [v.id, v.verifiedBy])).toEqual([
      ['a', null],
      ['b', null],
    ]);
  });

  it('ignores a log entry it cannot check offline instead of failing the bundle', () => {
    const bundle = signBundle(statement({ subjectDigests: [DIGEST] }), ci, {
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    });
    const withLogEntry = {
      ...bundle,
      verificationMaterial: {
        ...bundle.verificationMaterial,
        tlogEntries: [
          {
            logIndex: '1',
            logId: { keyId: Buffer.from('log').toString('base64') },
            kindVersion: { kind: 'dsse', version: '0.0.1' },
            integratedTime: '1700000000',
            inclusionPromise: {
              signedEntryTimestamp: Buffer.from('set').toString('base64'),
            },
            canonicalizedBody: Buffer.from('{}').toString('base64'),
          },
        ],
      },
    };
    const [verdict] = verifyAttestations([stored(withLogEntry)], policyOf(ci));
    expect(verdict.verifiedBy).toBe('ci');
  });
});
