import { ConfigReader } from '@backstage/config';
import { readDriftConfig } from './driftConfig';
import { readJsonPath, parseJsonPath } from './jsonPath';
import { readPipelines } from '../pipelines/pipelineConfig';

const pipelines = readPipelines(
  new ConfigReader({
    immutableReleases: {
      pipelines: {
        default: {
          environments: [
            { name: 'staging', executor: 'local' },
            { name: 'production', executor: 'local', from: 'staging' },
          ],
        },
        edge: { environments: [{ name: 'edge', executor: 'local' }] },
      },
    },
  }),
  new Set(['local']),
);

function read(drift: unknown) {
  return readDriftConfig(
    new ConfigReader({ immutableReleases: { drift } } as any),
    pipelines,
  );
}

const probe = {
  environment: 'production',
  url: 'http://{{ entity.metadata.name }}/version',
  digestPath: '$.digest',
};

describe('readDriftConfig', () => {
  it('has defaults: 15 minutes stale, 5 requests at once, no probes', () => {
    expect(read(undefined)).toEqual({
      staleAfterMs: 15 * 60_000,
      concurrency: 5,
      probes: [],
    });
  });

  it('reads probes with their defaults and unique source ids', () => {
    const config = read({
      staleAfter: { minutes: 2 },
      concurrency: 3,
      probes: [
        probe,
        {
          ...probe,
          digestPath: undefined,
          digestHeader: 'X-Digest',
          frequency: '30s',
          timeout: { seconds: 2 },
        },
      ],
    });
    expect(config.staleAfterMs).toBe(120_000);
    expect(config.concurrency).toBe(3);
    expect(config.probes).toEqual([
      expect.objectContaining({
        id: 'http-probe:production',
        configKey: 'immutableReleases.drift.probes[0]',
        digestPath: { text: '$.digest', steps: ['digest'] },
        digestHeader: null,
        frequencyMs: 60_000,
        timeoutMs: 10_000,
      }),
      expect.objectContaining({
        id: 'http-probe:production#2',
        digestPath: null,
        digestHeader: 'x-digest',
        frequencyMs: 30_000,
        timeoutMs: 2_000,
      }),
    ]);
  });

  it.each([
    [
      { staleAfer: { minutes: 1 } },
      /immutableReleases\.drift\.staleAfer is not a known key/,
    ],
    [{ concurrency: 0 }, /immutableReleases\.drift\.concurrency must be/],
    [
      { probes: [{ ...probe, frequncy: '1m' }] },
      /immutableReleases\.drift\.probes\[0\]\.frequncy is not a known key/,
    ],
    [
      { probes: [{ ...probe, environment: 'qa' }] },
      /probes\[0\]\.environment 'qa' is not an environment of any configured pipeline/,
    ],
    [
      { probes: [{ ...probe, pipeline: 'edge' }] },
      /probes\[0\]\.environment 'production' is not an environment of pipeline 'edge'/,
    ],
    [
      { probes: [{ ...probe, pipeline: 'nope' }] },
      /probes\[0\]\.pipeline 'nope' is not configured/,
    ],
    [
      { probes: [{ ...probe, url: 'http://{{ entity.spec.owner }}' }] },
      /probes\[0\]\.url: unknown placeholder/,
    ],
    [
      { probes: [{ ...probe, digestHeader: 'x-digest' }] },
      /probes\[0\] needs exactly one of digestPath/,
    ],
    [
      { probes: [{ ...probe, digestPath: 'digest' }] },
      /probes\[0\]\.digestPath: JSONPath 'digest' must start with '\$'/,
    ],
    [
      { probes: [{ ...probe, digestPath: '$..digest' }] },
      /probes\[0\]\.digestPath: JSONPath '\$\.\.digest' is not supported/,
    ],
    [
      { probes: [{ ...probe, frequency: 'often' }] },
      /probes\[0\]\.frequency must be a duration/,
    ],
    [
      { probes: [{ ...probe, timeout: { seconds: 0 } }] },
      /probes\[0\]\.timeout must be a positive duration/,
    ],
  ])('refuses %j naming the key', (drift, message) => {
    expect(() => read(drift)).toThrow(message);
  });
});

describe('JSONPath subset', () => {
  it('reads dotted, quoted and indexed steps', () => {
    const answer = { status: { images: [{ 'image-digest': 'sha256:1' }] } };
    expect(
      readJsonPath(answer, parseJsonPath("$.status.images[0]['image-digest']")),
    ).toBe('sha256:1');
    expect(readJsonPath(answer, parseJsonPath('$.status.images[3].x'))).toBe(
      undefined,
    );
    expect(readJsonPath(answer, parseJsonPath('$'))).toBe(answer);
  });
});
