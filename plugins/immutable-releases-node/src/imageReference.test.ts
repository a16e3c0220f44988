import {
  canonicalRepository,
  imageDigest,
  imageRepository,
  isImageOf,
} from './imageReference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('imageRepository', () => {
  it.each([
    ['ghcr.io/acme/checkout', 'ghcr.io/acme/checkout'],
    ['ghcr.io/acme/checkout:1.2.3', 'ghcr.io/acme/checkout'],
    [`ghcr.io/acme/checkout@${DIGEST}`, 'ghcr.io/acme/checkout'],
    [`ghcr.io/acme/checkout:1.2.3@${DIGEST}`, 'ghcr.io/acme/checkout'],
    ['registry.local:5000/team/app', 'registry.local:5000/team/app'],
    ['registry.local:5000/team/app:v2', 'registry.local:5000/team/app'],
    [`localhost:5000/app@${DIGEST}`, 'localhost:5000/app'],
    ['nginx:1.27', 'nginx'],
  ])('%s is of %s', (image, repository) => {
    expect(imageRepository(image)).toBe(repository);
  });
});

describe('imageDigest', () => {
  it('reads the digest after @, also from container runtime image IDs', () => {
    expect(imageDigest(`docker-pullable://ghcr.io/acme/app@${DIGEST}`)).toBe(
      DIGEST,
    );
    expect(imageDigest(`ghcr.io/acme/app@${DIGEST}`)).toBe(DIGEST);
    expect(imageDigest('ghcr.io/acme/app:1.0')).toBeUndefined();
  });
});

describe('isImageOf', () => {
  it('compares repositories as the runtime resolves them', () => {
    expect(canonicalRepository('nginx')).toBe('docker.io/library/nginx');
    expect(isImageOf('nginx:1.27', 'docker.io/library/nginx')).toBe(true);
    expect(isImageOf('index.docker.io/acme/app:1', 'acme/app')).toBe(true);
    expect(isImageOf('ghcr.io/acme/checkout:1', 'ghcr.io/acme/checkout')).toBe(
      true,
    );
    expect(
      isImageOf('ghcr.io/acme/checkout-db:1', 'ghcr.io/acme/checkout'),
    ).toBe(false);
    expect(isImageOf('registry:5000/app:1', 'registry/app')).toBe(false);
  });
});
