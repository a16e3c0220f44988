/**
 * Sigstore bundles built in the tests, with keys generated here: DSSE
 * envelopes signed over the pre-authentication encoding exactly as the DSSE
 * spec says, so the real Sigstore library verifies them.
 */
import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const BUILDER_ID =
  'https://github.com/acme/.github/.github/workflows/build.yml@refs/heads/main';
export const V03_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface TestSigningKey {
  name: string;
  /** SPKI PEM, as `signature.keys[].publicKey` takes it. */
  publicKey: string;
  privateKey: KeyObject;
}

/** An ECDSA P-256 key pair, as `cosign generate-key-pair` makes. */
export function generateSigningKey(name = 'ci'): TestSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  return {
    name,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
  };
}

/** `sha256:<hex>` → in-toto's `{sha256: hex}`. */
function inTotoDigest(digest: string): Record<string, string> {
  const [algorithm, hex] = digest.split(':');
  return { [algorithm]: hex };
}

export interface StatementOptions {
  subjectDigests: string[];
  predicateType?: string;
  predicate?: unknown;
}

export function statement(options: StatementOptions) {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: options.subjectDigests.map((digest, index) => ({
      name: `ghcr.io/acme/checkout-${index}`,
      digest: inTotoDigest(digest),
    })),
    predicateType: options.predicateType ?? 'https://example.com/test/v1',
    predicate: options.predicate ?? {},
  };
}

/** An SLSA v1 provenance statement as GitHub's generator writes it. */
export function provenanceStatement(options: {
  digest: string;
  builderId?: string;
  repository?: string;
  commit?: string;
}) {
  const repository = options.repository ?? 'https://github.com/acme/checkout';
  return statement({
    subjectDigests: [options.digest],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/heads/main',
            repository,
            path: '.github/workflows/release.yml',
          },
        },
        resolvedDependencies: [
          {
            uri: `git+${repository}@refs/heads/main`,
            digest: { gitCommit: options.commit ?? 'c-1.0.0' },
          },
        ],
      },
      runDetails: {
        builder: { id: options.builderId ?? BUILDER_ID },
        metadata: { invocationId: 'https://github.com/acme/checkout/run/1' },
      },
    },
  });
}

/** DSSE's pre-authentication encoding: what is signed. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    payload,
  ]);
}

export interface BundleOptions {
  mediaType?: string;
  payloadType?: string;
  /** The key hint the bundle names; default: the SHA-256 of the public key. */
  hint?: string;
}

/** A key-signed Sigstore bundle (no log entry) of the statement. */
export function signBundle(
  statementValue: unknown,
  key: TestSigningKey,
  options: BundleOptions = {},
) {
  const payloadType = options.payloadType ?? 'application/vnd.in-toto+json';
  const payload = Buffer.from(JSON.stringify(statementValue), 'utf8');
  const signature = sign(
    'sha256',
    preAuthEncoding(payloadType, payload),
    key.privateKey,
  );
  return {
    mediaType: options.mediaType ?? V03_MEDIA_TYPE,
    verificationMaterial: {
      publicKey: {
        hint:
          options.hint ??
          createHash('sha256').update(key.publicKey).digest('hex'),
      },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType,
      signatures: [{ sig: signature.toString('base64'), keyid: '' }],
    },
  };
}

/** The bundle with one bit of its signature flipped. */
export function corruptSignature(
  bundle: ReturnType<typeof signBundle>,
): ReturnType<typeof signBundle> {
  const sig = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
  sig[sig.length - 1] ^= 1;
  return {
    ...bundle,
    dsseEnvelope: {
      ...bundle.dsseEnvelope,
      signatures: [{ sig: sig.toString('base64'), keyid: '' }],
    },
  };
}
