import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new secret for an asynchronous executor to present when it reports
 * completion. Only its hash is stored.
 */
export function newCallbackToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

/** Whether `presented` is the token whose hash was stored, compared in constant time. */
export function isCallbackToken(
  presented: string | undefined,
  expectedHash: string | null,
): boolean {
  if (!presented || !expectedHash) {
    return false;
  }
  return timingSafeEqual(
    Buffer.from(sha256Hex(presented), 'hex'),
    Buffer.from(expectedHash, 'hex'),
  );
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
