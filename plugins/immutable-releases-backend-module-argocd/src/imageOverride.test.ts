import { Application } from './argoCdTypes';
import {
  imageOverride,
  kustomizeImageName,
  withHelmParameter,
  withKustomizeImage,
} from './imageOverride';

const URI = 'ghcr.io/acme/checkout';
const REF = `${URI}@sha256:${'b'.repeat(64)}`;

function application(source: Application['spec']['source']): Application {
  return { metadata: { name: 'checkout-production' }, spec: { source } };
}

describe('withKustomizeImage', () => {
  it('replaces the entry of the repository, keeping its name and the other entries', () => {
    expect(
      withKustomizeImage(
        ['ghcr.io/acme/log-shipper:2.1', `${URI}:1.0.0`, 'redis=redis:7'],
        URI,
        REF,
      ),
    ).toEqual([
      'ghcr.io/acme/log-shipper:2.1',
      `${URI}=${REF}`,
      'redis=redis:7',
    ]);
    expect(withKustomizeImage([`checkout=${URI}:1.0`], URI, REF)).toEqual([
      `checkout=${REF}`,
    ]);
    expect(
      withKustomizeImage([`${URI}=${URI}@sha256:${'a'.repeat(64)}`], URI, REF),
    ).toEqual([`${URI}=${REF}`]);
  });

  it('adds an entry when the repository has none', () => {
    expect(
      withKustomizeImage(['ghcr.io/acme/checkout-db:3'], URI, REF),
    ).toEqual(['ghcr.io/acme/checkout-db:3', `${URI}=${REF}`]);
  });

  it('reads the name an override applies to', () => {
    expect(kustomizeImageName('nginx=ghcr.io/mirror/nginx:1.27')).toBe('nginx');
    expect(kustomizeImageName('registry:5000/app:v2')).toBe(
      'registry:5000/app',
    );
  });
});

describe('withHelmParameter', () => {
  it('sets the parameter and leaves the others alone', () => {
    expect(
      withHelmParameter(
        [
          { name: 'replicas', value: '3' },
          { name: 'image', value: `${URI}:1.0`, forceString: true },
        ],
        'image',
        REF,
      ),
    ).toEqual([
      { name: 'replicas', value: '3' },
      { name: 'image', value: REF, forceString: true },
    ]);
    expect(withHelmParameter([], 'image', REF)).toEqual([
      { name: 'image', value: REF },
    ]);
  });
});

describe('imageOverride', () => {
  it('patches the Kustomize images, or the Helm parameter when one is named', () => {
    expect(
      imageOverride(application({ kustomize: { images: [`${URI}:1`] } }), {
        uri: URI,
        artifactRef: REF,
      }),
    ).toEqual({
      patch: { spec: { source: { kustomize: { images: [`${URI}=${REF}`] } } } },
      description: `kustomize image ${URI}=${REF}`,
    });
    expect(
      imageOverride(application({ chart: 'checkout' }), {
        uri: URI,
        artifactRef: REF,
        helmImageParameter: 'image.ref',
      }),
    ).toEqual({
      patch: {
        spec: {
          source: { helm: { parameters: [{ name: 'image.ref', value: REF }] } },
        },
      },
      description: `helm parameter image.ref=${REF}`,
    });
  });

  it('refuses what it cannot override', () => {
    expect(() =>
      imageOverride(application({ chart: 'checkout', helm: {} }), {
        uri: URI,
        artifactRef: REF,
      }),
    ).toThrow(
      'application checkout-production is a Helm application: set helmImageParameter',
    );
    expect(() =>
      imageOverride(
        {
          metadata: { name: 'checkout-production' },
          spec: { sources: [{ path: 'a' }, { path: 'b' }] },
        },
        { uri: URI, artifactRef: REF },
      ),
    ).toThrow(
      'application checkout-production has no spec.source (multi-source applications are not supported)',
    );
  });
});
