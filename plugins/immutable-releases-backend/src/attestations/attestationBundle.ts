import {
  assertBundle,
  Bundle,
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  bundleFromJSON,
  ValidationError,
} from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { InputError } from '@backstage/errors';
import { AttestationSigner } from 'backstage-plugin-immutable-releases-common';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const MEDIA_TYPES: ReadonlySet<string> = new Set([
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
]);

/** The digest algorithms a release digest can have, as in-toto names them. */
const DIGEST_ALGORITHMS: ReadonlyMap<string, RegExp> = new Map([
  ['sha256', /^[0-9a-f]{64}$/],
  ['sha512', /^[0-9a-f]{128}$/],
]);

/** An in-toto statement, as far as the gates read it. */
export interface InTotoStatement {
  _type?: string;
  subject: Array<{ name?: string; digest: Record<string, string> }>;
  predicateType: string;
  predicate?: unknown;
}

/** A Sigstore bundle that holds an in-toto statement, and what was read from it. */
export interface AttestationBundle {
  /** The bundle as the library models it, for verification. */
  bundle: Bundle;
  mediaType: string;
  statement: InTotoStatement;
  predicateType: string;
  /** The statement's subject digests as `<algorithm>:<hex>`, in statement order. */
  subjectDigests: string[];
  signer: AttestationSigner;
}

/**
 * Reads a Sigstore bundle whose DSSE envelope holds an in-toto statement.
 * Anything else is an `InputError` naming the field under `field`. This reads,
 * it does not verify: the signature is checked by the gates.
 */
export function parseAttestationBundle(
  value: unknown,
  field = 'bundle',
): AttestationBundle {
  if (!isObject(value)) {
    throw new InputError(`${field} must be a Sigstore bundle (a JSON object)`);
  }
  const mediaType = value.mediaType;
  if (typeof mediaType !== 'string' || !MEDIA_TYPES.has(mediaType)) {
    throw new InputError(
      `${field}.mediaType ${
        typeof mediaType === 'string' ? `'${mediaType}'` : 'is missing: it'
      } is not a Sigstore bundle media type (${[...MEDIA_TYPES].join(', ')})`,
    );
  }
  const envelope = value.dsseEnvelope;
  if (!isObject(envelope)) {
    throw new InputError(
      `${field}.dsseEnvelope is missing: an attestation is a DSSE envelope holding an in-toto statement${
        'messageSignature' in value
          ? ' (this bundle signs a blob with a messageSignature)'
          : ''
      }`,
    );
  }
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new InputError(
      `${field}.dsseEnvelope.payloadType must be '${IN_TOTO_PAYLOAD_TYPE}', got ${JSON.stringify(
        envelope.payloadType ?? null,
      )}`,
    );
  }
  if (typeof envelope.payload !== 'string' || envelope.payload === '') {
    throw new InputError(
      `${field}.dsseEnvelope.payload must be the base64 of an in-toto statement`,
    );
  }

  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(value);
    assertBundle(bundle);
  } catch (error) {
    const fields =
      error instanceof ValidationError && error.fields
        ? error.fields.map(name => `${field}.${name}`).join(', ')
        : field;
    throw new InputError(
      `${fields}: not a valid Sigstore bundle (${(error as Error).message})`,
      error,
    );
  }
  if (bundle.content.$case !== 'dsseEnvelope') {
    throw new InputError(`${field}.dsseEnvelope is missing`);
  }

  const statement = readStatement(
    bundle.content.dsseEnvelope.payload,
    `${field}.dsseEnvelope.payload`,
  );
  return {
    bundle,
    mediaType,
    statement,
    predicateType: statement.predicateType,
    subjectDigests: subjectDigests(statement, `${field}.dsseEnvelope.payload`),
    signer: signerOf(bundle, `${field}.verificationMaterial`),
  };
}

function readStatement(payload: Buffer, field: string): InTotoStatement {
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new InputError(`${field} is not a JSON in-toto statement`, error);
  }
  if (!isObject(statement)) {
    throw new InputError(`${field} is not a JSON in-toto statement`);
  }
  if (
    typeof statement.predicateType !== 'string' ||
    statement.predicateType === ''
  ) {
    throw new InputError(`${field}: the statement has no predicateType`);
  }
  if (!Array.isArray(statement.subject) || statement.subject.length === 0) {
    throw new InputError(`${field}: the statement has no subjects`);
  }
  return statement as unknown as InTotoStatement;
}

function subjectDigests(statement: InTotoStatement, field: string): string[] {
  const digests: string[] = [];
  statement.subject.forEach((subject, index) => {
    if (!isObject(subject) || !isObject(subject.digest)) {
      throw new InputError(
        `${field}: the statement's subject[${index}] has no digest`,
      );
    }
    for (const [algorithm, pattern] of DIGEST_ALGORITHMS) {
      const hex = subject.digest[algorithm];
      if (typeof hex === 'string' && pattern.test(hex.toLowerCase())) {
        digests.push(`${algorithm}:${hex.toLowerCase()}`);
      }
    }
  });
  if (digests.length === 0) {
    throw new InputError(
      `${field}: no subject of the statement has a sha256 or sha512 digest`,
    );
  }
  return [...new Set(digests)];
}

function signerOf(bundle: Bundle, field: string): AttestationSigner {
  const material = bundle.verificationMaterial.content;
  switch (material.$case) {
    case 'publicKey':
      return material.publicKey.hint
        ? { keyHint: material.publicKey.hint }
        : {};
    case 'certificate':
    case 'x509CertificateChain': {
      const raw =
        material.$case === 'certificate'
          ? material.certificate.rawBytes
          : material.x509CertificateChain.certificates[0]?.rawBytes;
      try {
        return certificateSigner(X509Certificate.parse(Buffer.from(raw)));
      } catch (error) {
        throw new InputError(
          `${field}: the signing certificate cannot be read`,
          error,
        );
      }
    }
    default:
      return {};
  }
}

const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

function certificateSigner(certificate: X509Certificate): AttestationSigner {
  const identity = certificate.subjectAltName;
  const issuer =
    certificate
      .extension(OID_FULCIO_ISSUER_V2)
      ?.valueObj.subs?.[0]?.value.toString('ascii') ??
    certificate.extension(OID_FULCIO_ISSUER_V1)?.value.toString('ascii');
  return {
    ...(identity ? { certificateIdentity: identity } : {}),
    ...(issuer ? { certificateIssuer: issuer } : {}),
  };
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
