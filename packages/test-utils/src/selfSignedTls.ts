import fs from 'node:fs';
import path from 'node:path';

/**
 * The self-signed certificate and key in `dir` (`test-only-cert.pem`,
 * `test-only-key.pem`), and `caData`: the base64 PEM a client holds to trust
 * a server that presents them.
 */
export function selfSignedTls(dir: string): {
  cert: Buffer;
  key: Buffer;
  caData: string;
} {
  const cert = fs.readFileSync(path.join(dir, 'test-only-cert.pem'));
  return {
    cert,
    key: fs.readFileSync(path.join(dir, 'test-only-key.pem')),
    caData: cert.toString('base64'),
  };
}
