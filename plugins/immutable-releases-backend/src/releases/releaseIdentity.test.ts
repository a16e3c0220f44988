import { RegisterReleaseRequest } from 'backstage-plugin-immutable-releases-common';
import { checkReleaseIdentity } from './releaseIdentity';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function request(
  version: string,
  artifact: Partial<RegisterReleaseRequest['artifact']> = {},
): RegisterReleaseRequest {
  return {
    entityRef: 'component:default/checkout',
    version,
    artifact: {
      type: 'oci-image',
      uri: 'ghcr.io/acme/checkout',
      digest: DIGEST,
      ...artifact,
    },
  };
}

describe('checkReleaseIdentity', () => {
  it('accepts an exact version and an image pinned by its digest alone', () => {
    expect(() => checkReleaseIdentity(request('1.0.0'))).not.toThrow();
    expect(() => checkReleaseIdentity(request('café'))).not.toThrow();
    expect(() =>
      checkReleaseIdentity(
        request('1.0.0', { uri: 'registry.internal:5000/team/checkout' }),
      ),
    ).not.toThrow();
    expect(() =>
      checkReleaseIdentity(
        request('1.0.0', {
          type: 'archive',
          uri: 'https://artifacts.internal:8443/checkout.tar.gz',
        }),
      ),
    ).not.toThrow();
  });

  it.each([
    [' 1.0.0', 'version must not start or end with whitespace'],
    ['imm-1 ', 'version must not start or end with whitespace'],
    ['cafe\u0301', 'version must be in Unicode normalization form NFC'],
  ])('refuses the version %j', (version, message) => {
    expect(() => checkReleaseIdentity(request(version))).toThrow(message);
  });

  it.each([
    [{ digest: 'sha256:NOT-A-DIGEST' }, 'artifact.digest must be sha256'],
    [
      { uri: 'ghcr.io/acme/check out' },
      'artifact.uri must not contain whitespace',
    ],
    [{ uri: `ghcr.io/acme/checkout@${DIGEST}` }, 'must not carry a digest'],
    [{ uri: `ghcr.io/acme/fuzz:latest@${DIGEST}` }, 'must not carry a digest'],
    [{ uri: 'ghcr.io/acme/checkout:latest' }, 'must not carry a tag'],
  ])('refuses the artifact %j', (artifact, message) => {
    expect(() => checkReleaseIdentity(request('1.0.0', artifact))).toThrow(
      message,
    );
  });
});
