import { KeyObject } from 'node:crypto';
import {
  SignedEntity,
  toSignedEntity,
  TrustMaterial,
  Verifier,
} from '@sigstore/verify';
import { StoredAttestation } from '../database/ReleaseStore';
import { SignaturePolicy } from '../pipelines/attestationPolicies';
import { AttestationBundle, parseAttestationBundle } from './attestationBundle';
import { AttestationVerdict } from './AttestationVerdict';

/**
 * Verifies each attestation's DSSE signature against the configured keys
 * with the Sigstore library, offline: nothing is fetched. Log entries and
 * timestamps are not checked (that needs the log's trusted root) and do not
 * count; a bundle signed by a certificate (keyless) is not verified yet.
 */
export function verifyAttestations(
  attestations: StoredAttestation[],
  policy: SignaturePolicy,
): AttestationVerdict[] {
  return attestations.map(attestation => {
    const base = {
      id: attestation.id,
      predicateType: attestation.predicateType,
      subjectDigests: attestation.subjectDigests,
    };
    let parsed: AttestationBundle;
    try {
      parsed = parseAttestationBundle(attestation.bundle);
    } catch (error) {
      return {
        ...base,
        statement: null,
        verifiedBy: null,
        failure: `cannot be read: ${(error as Error).message}`,
      };
    }
    const outcome = verifyWithKeys(parsed, policy);
    return { ...base, statement: parsed.statement, ...outcome };
  });
}

function verifyWithKeys(
  parsed: AttestationBundle,
  policy: SignaturePolicy,
): { verifiedBy: string | null; failure?: string } {
  const material = parsed.bundle.verificationMaterial.content;
  if (material.$case !== 'publicKey') {
    const identity = parsed.signer.certificateIdentity;
    return {
      verifiedBy: null,
      failure: `is signed by a certificate${
        identity ? ` of ${identity}` : ''
      } (keyless), which is not verified yet: sign with a configured key`,
    };
  }
  const entity: SignedEntity = {
    ...toSignedEntity(parsed.bundle),
    tlogEntries: [],
    timestamps: [],
  };
  const failures: string[] = [];
  for (const key of policy.keys) {
    try {
      new Verifier(trustingOnly(key.publicKey), {
        tlogThreshold: 0,
        ctlogThreshold: 0,
        timestampThreshold: 0,
      }).verify(entity);
      return { verifiedBy: key.name };
    } catch (error) {
      failures.push(`${key.name}: ${(error as Error).message}`);
    }
  }
  return {
    verifiedBy: null,
    failure: `does not verify with any configured key (${failures.join('; ')})`,
  };
}

/** Trust material that knows one public key and no authority. */
function trustingOnly(publicKey: KeyObject): TrustMaterial {
  return {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    // Any hint: the bundle's hint is only a name the signer chose.
    publicKey: () => ({ publicKey, validFor: () => true }),
  };
}
