const DIGEST_PATTERN = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/**
 * Whether a string is a digest a release can be pinned by:
 * `sha256:` with 64 or `sha512:` with 128 lower-case hex characters.
 */
export function isValidDigest(digest: string): boolean {
  return DIGEST_PATTERN.test(digest);
}

/** The reference executors deploy: never a tag, always `uri@digest`. */
export function artifactRef(artifact: { uri: string; digest: string }): string {
  return `${artifact.uri}@${artifact.digest}`;
}

/** A digest cut short for display, e.g. `sha256:1a2b3c4d5e6f`. */
export function shortDigest(digest: string): string {
  const [algorithm, hex = ''] = digest.split(':');
  return `${algorithm}:${hex.slice(0, 12)}`;
}
