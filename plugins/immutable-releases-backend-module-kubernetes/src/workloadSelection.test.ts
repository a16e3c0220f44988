import {
  hasMatches,
  imagePatch,
  imagesOf,
  matchingContainers,
} from './containerImages';
import {
  annotatedWorkloadOf,
  kubernetesIdOf,
  namespaceOf,
} from './entityWorkloads';
import { parseWorkloadRef } from './workloadKinds';

const URI = 'ghcr.io/acme/checkout';

function entity(annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations },
  };
}

describe('which workload', () => {
  it('reads <kind>/<name> the way kubectl does', () => {
    expect(parseWorkloadRef('deployment/checkout')).toEqual({
      kind: 'Deployment',
      name: 'checkout',
    });
    expect(parseWorkloadRef('sts/checkout-db')).toEqual({
      kind: 'StatefulSet',
      name: 'checkout-db',
    });
    expect(parseWorkloadRef('DaemonSets/agent')).toEqual({
      kind: 'DaemonSet',
      name: 'agent',
    });
    expect(() => parseWorkloadRef('cronjob/nightly')).toThrow(
      "'cronjob/nightly' is not <kind>/<name> with a kind of Deployment, StatefulSet, DaemonSet",
    );
    expect(() => parseWorkloadRef('deployment/Checkout')).toThrow();
  });

  it('names the annotation when it cannot be read', () => {
    expect(
      annotatedWorkloadOf(
        entity({ 'immutable-releases/kubernetes-workload': 'deploy/checkout' }),
      ),
    ).toEqual({ kind: 'Deployment', name: 'checkout' });
    expect(annotatedWorkloadOf(entity())).toBeUndefined();
    expect(() =>
      annotatedWorkloadOf(
        entity({ 'immutable-releases/kubernetes-workload': 'checkout' }),
      ),
    ).toThrow(
      /^annotation immutable-releases\/kubernetes-workload of checkout:/,
    );
  });

  it('finds the kubernetes id and namespace as Backstage’s Kubernetes plugin does', () => {
    expect(kubernetesIdOf(entity())).toBe('checkout');
    expect(
      kubernetesIdOf(entity({ 'backstage.io/kubernetes-id': 'shop-checkout' })),
    ).toBe('shop-checkout');
    expect(() =>
      kubernetesIdOf(entity({ 'backstage.io/kubernetes-id': 'a b' })),
    ).toThrow(/not a valid label value/);

    expect(namespaceOf(entity(), undefined)).toBe('default');
    expect(
      namespaceOf(
        entity({ 'backstage.io/kubernetes-namespace': 'shop' }),
        undefined,
      ),
    ).toBe('shop');
    expect(
      namespaceOf(
        entity({ 'backstage.io/kubernetes-namespace': 'shop' }),
        'prod',
      ),
    ).toBe('prod');
    expect(() =>
      namespaceOf(
        entity({ 'backstage.io/kubernetes-namespace': 'Shop' }),
        undefined,
      ),
    ).toThrow(/is not a namespace name/);
  });
});

describe('which containers', () => {
  const spec = {
    initContainers: [{ name: 'migrate', image: `${URI}:1.0` }],
    containers: [
      { name: 'app', image: `${URI}@sha256:${'0'.repeat(64)}` },
      { name: 'sidecar', image: 'ghcr.io/acme/checkout-proxy:3' },
      { name: 'debug', image: `${URI}:1.0` },
    ],
  };

  it('picks every container and init container of the repository, and patches only those', () => {
    const matches = matchingContainers(spec, URI);
    expect(matches).toEqual({
      containers: ['app', 'debug'],
      initContainers: ['migrate'],
    });
    expect(hasMatches(matches)).toBe(true);
    expect(imagePatch(matches, `${URI}@sha256:${'1'.repeat(64)}`)).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: `${URI}@sha256:${'1'.repeat(64)}` },
              { name: 'debug', image: `${URI}@sha256:${'1'.repeat(64)}` },
            ],
            initContainers: [
              { name: 'migrate', image: `${URI}@sha256:${'1'.repeat(64)}` },
            ],
          },
        },
      },
    });
  });

  it('lists the images found when none matches', () => {
    const matches = matchingContainers(spec, 'ghcr.io/acme/payments');
    expect(hasMatches(matches)).toBe(false);
    expect(imagesOf(spec)).toEqual([
      `${URI}:1.0`,
      `${URI}@sha256:${'0'.repeat(64)}`,
      'ghcr.io/acme/checkout-proxy:3',
    ]);
  });
});
