import { ConfigReader } from '@backstage/config';
import { JsonObject, JsonValue } from '@backstage/types';
import { readPipelines } from './pipelineConfig';

const EXECUTORS = new Set(['local']);

function read(environments: JsonValue[], extra: JsonObject = {}) {
  return readPipelines(
    new ConfigReader({
      immutableReleases: { pipelines: { default: { environments, ...extra } } },
    }),
    EXECUTORS,
  );
}

describe('readPipelines', () => {
  it('reads a pipeline in order with its gates', () => {
    const pipeline = read([
      { name: 'development', executor: 'local', autoPromote: true },
      {
        name: 'production',
        from: 'development',
        executor: 'local',
        soakTime: { hours: 1 },
        requiredChecks: ['unit-tests'],
        approvals: { required: 2 },
        freezeWindows: [
          {
            cron: '0 18 * * 5',
            duration: { hours: 62 },
            reason: 'weekend freeze',
          },
        ],
      },
    ]).get('default')!;
    expect(pipeline.queue).toBe('newest-wins');
    expect(pipeline.environments.map(e => [e.name, e.from])).toEqual([
      ['development', null],
      ['production', 'development'],
    ]);
    expect(pipeline.environments[1]).toMatchObject({
      soakTimeMs: 3_600_000,
      approvals: { required: 2, allowSelfApproval: false },
      freezeWindows: [{ durationMs: 62 * 3_600_000, timeZone: 'UTC' }],
    });
  });

  it.each([
    [
      'an unknown executor',
      [{ name: 'development', executor: 'argo' }],
      "immutableReleases.pipelines.default.environments[0].executor names 'argo', which is not under immutableReleases.executors (local)",
    ],
    [
      'a verification URL template with an unknown placeholder',
      [
        {
          name: 'development',
          executor: 'local',
          verification: {
            http: { url: 'https://{{ entity.spec.owner }}.example.com/health' },
          },
        },
      ],
      'immutableReleases.pipelines.default.environments[0].verification.http.url: unknown placeholder {{ entity.spec.owner }}',
    ],
    [
      'a from that names no environment',
      [{ name: 'staging', from: 'dev', executor: 'local' }],
      "immutableReleases.pipelines.default.environments[0].from names 'dev', which is not an environment of this pipeline",
    ],
    [
      'a cycle',
      [
        { name: 'a', from: 'b', executor: 'local' },
        { name: 'b', from: 'a', executor: 'local' },
      ],
      'immutableReleases.pipelines.default.environments[0].from makes a cycle: a -> b -> a',
    ],
    [
      'a duplicate environment',
      [
        { name: 'a', executor: 'local' },
        { name: 'a', executor: 'local' },
      ],
      "immutableReleases.pipelines.default.environments[1].name 'a' is used twice",
    ],
    [
      'a bad cron expression',
      [
        {
          name: 'a',
          executor: 'local',
          freezeWindows: [{ cron: 'every friday', duration: '1h' }],
        },
      ],
      "immutableReleases.pipelines.default.environments[0].freezeWindows[0].cron 'every friday' is not a cron expression",
    ],
    [
      'a freeze window without duration',
      [
        {
          name: 'a',
          executor: 'local',
          freezeWindows: [{ cron: '0 18 * * 5' }],
        },
      ],
      'immutableReleases.pipelines.default.environments[0].freezeWindows[0].duration is required',
    ],
    [
      'zero approvals',
      [{ name: 'a', executor: 'local', approvals: { required: 0 } }],
      'immutableReleases.pipelines.default.environments[0].approvals.required must be a whole number of at least 1',
    ],
    [
      'approvers to notify without a kind',
      [
        {
          name: 'a',
          executor: 'local',
          approvals: { required: 1, notify: ['group:default/sre', 'alice'] },
        },
      ],
      "immutableReleases.pipelines.default.environments[0].approvals.notify[1] 'alice' is not an entity ref with a kind",
    ],
    [
      'approvers to notify that are neither users nor groups',
      [
        {
          name: 'a',
          executor: 'local',
          approvals: { required: 1, notify: ['component:default/checkout'] },
        },
      ],
      "immutableReleases.pipelines.default.environments[0].approvals.notify[0] 'component:default/checkout' is a component; only users and groups can be notified",
    ],
    [
      'an empty list of approvers to notify',
      [
        {
          name: 'a',
          executor: 'local',
          approvals: { required: 1, notify: [] },
        },
      ],
      "immutableReleases.pipelines.default.environments[0].approvals.notify must name at least one user or group; leave it out to notify the entity's owner",
    ],
  ])('refuses %s, naming the key', (_what, environments, message) => {
    expect(() => read(environments)).toThrow(message);
  });

  it('reads the approvers to notify as full refs, and leaves them out when not configured', () => {
    const [notified, unconfigured] = read([
      {
        name: 'production',
        executor: 'local',
        approvals: {
          required: 2,
          notify: ['Group:Release-Managers', 'user:default/alice'],
        },
      },
      { name: 'staging', executor: 'local', approvals: { required: 1 } },
    ]).get('default')!.environments;
    expect(notified.approvals).toEqual({
      required: 2,
      allowSelfApproval: false,
      notify: ['group:default/release-managers', 'user:default/alice'],
    });
    expect(unconfigured.approvals).toEqual({
      required: 1,
      allowSelfApproval: false,
    });
  });

  it('refuses an unknown queue policy', () => {
    expect(() =>
      read([{ name: 'a', executor: 'local' }], { queue: 'lifo' }),
    ).toThrow(
      "immutableReleases.pipelines.default.queue must be 'newest-wins' or 'fifo', got 'lifo'",
    );
  });
});
