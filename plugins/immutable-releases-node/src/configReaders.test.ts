import { ConfigReader } from '@backstage/config';
import { assertKnownKeys, readNonEmptyString } from './configReaders';

describe('readNonEmptyString', () => {
  it('reads a string and names the key when it is missing, empty or not a string', () => {
    const config = new ConfigReader({ token: 'secret', empty: '', port: 80 });
    expect(readNonEmptyString(config, 'token', 'x.argocd')).toBe('secret');
    for (const key of ['missing', 'empty', 'port']) {
      expect(() => readNonEmptyString(config, key, 'x.argocd')).toThrow(
        `x.argocd.${key} must be a non-empty string`,
      );
    }
  });
});

describe('assertKnownKeys', () => {
  const config = new ConfigReader({ cluster: 'prod', namspace: 'shop' });

  it('names the unknown key, the block and the known keys', () => {
    expect(() =>
      assertKnownKeys(
        config,
        ['cluster', 'namespace'],
        'immutableReleases.executors.k8s',
        'the kubernetes executor',
      ),
    ).toThrow(
      'immutableReleases.executors.k8s.namspace is not a setting of the kubernetes executor (known: cluster, namespace)',
    );
    expect(() =>
      assertKnownKeys(config, ['cluster'], 'immutableReleases.drift'),
    ).toThrow('immutableReleases.drift.namspace is not a known key');
  });

  it('accepts a block of known keys only', () => {
    expect(() =>
      assertKnownKeys(config, ['cluster', 'namspace'], 'x'),
    ).not.toThrow();
  });
});
