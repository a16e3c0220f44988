import { createPublicKey, KeyObject } from 'node:crypto';
import { Config } from '@backstage/config';

/** An environment's `signature` gate: the keys an attestation may be signed with. */
export interface SignaturePolicy {
  keys: Array<{ name: string; publicKey: KeyObject }>;
}

/** An environment's `provenance` gate: who may have built the release, from what. */
export interface ProvenancePolicy {
  builderIds: string[];
  sourceMustMatch: boolean;
}

/** Reads `signature` of the environment at `key`; a mistake stops start-up naming the key. */
export function readSignaturePolicy(
  config: Config,
  key: string,
): SignaturePolicy | null {
  if (!config.has('signature')) {
    return null;
  }
  const keyConfigs = config.getOptionalConfigArray('signature.keys') ?? [];
  if (keyConfigs.length === 0) {
    throw new Error(
      `${key}.signature.keys must list at least one public key ({name, publicKey})`,
    );
  }
  const names = new Set<string>();
  const keys = keyConfigs.map((keyConfig, index) => {
    const keyName = `${key}.signature.keys[${index}]`;
    const name = keyConfig.getString('name');
    if (names.has(name)) {
      throw new Error(`${keyName}.name '${name}' is used twice`);
    }
    names.add(name);
    return {
      name,
      publicKey: readPublicKey(keyConfig, `${keyName}.publicKey`),
    };
  });
  if (config.getOptionalBoolean('signature.requireTransparencyLog')) {
    throw new Error(
      `${key}.signature.requireTransparencyLog: true is not supported yet: checking a transparency log entry offline needs the log's pinned trusted root, which this version does not take; leave it false`,
    );
  }
  return { keys };
}

function readPublicKey(config: Config, key: string): KeyObject {
  const pem = config.getString('publicKey').trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new Error(
      `${key} is a private key: configure the public key (keep the private one in CI)`,
    );
  }
  if (!pem.startsWith('-----BEGIN PUBLIC KEY-----')) {
    throw new Error(
      `${key} must be a PEM public key starting with -----BEGIN PUBLIC KEY-----`,
    );
  }
  try {
    return createPublicKey(pem);
  } catch (error) {
    throw new Error(
      `${key} is not a readable PEM public key: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Reads `provenance` of the environment at `key`. Provenance is only read
 * from attestations verified against the `signature` keys, so it needs them.
 */
export function readProvenancePolicy(
  config: Config,
  key: string,
  signature: SignaturePolicy | null,
): ProvenancePolicy | null {
  if (!config.has('provenance')) {
    return null;
  }
  if (!signature) {
    throw new Error(
      `${key}.provenance needs ${key}.signature: provenance is only trusted from attestations verified against its keys`,
    );
  }
  const builderIds =
    config.getOptionalStringArray('provenance.builderIds') ?? [];
  if (builderIds.length === 0 || builderIds.some(id => id.trim() === '')) {
    throw new Error(
      `${key}.provenance.builderIds must list at least one builder id, e.g. https://github.com/acme/.github/workflows/build.yml@refs/heads/main`,
    );
  }
  return {
    builderIds,
    sourceMustMatch:
      config.getOptionalBoolean('provenance.sourceMustMatch') ?? true,
  };
}
