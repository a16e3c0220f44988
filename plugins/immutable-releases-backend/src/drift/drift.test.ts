import { Knex } from 'knex';
import { createTestDatabases } from '@internal/test-utils';
import {
  createTestEngine,
  digestOf,
  eventually,
  pipelineConfig,
  TEST_ENTITY_REF,
  writeDeployScript,
} from '../__testUtils__/testEngine';
import { ENGINE_ACTOR } from '../audit/AuditTrail';

const databases = createTestDatabases();

jest.setTimeout(60_000);

describe.each(databases.eachSupportedId())('drift on %p', databaseId => {
  let knex: Knex;
  const deploy = writeDeployScript();

  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  /** An engine whose clock the test moves forward by hand. */
  async function start() {
    let offsetMs = 0;
    const engine = await createTestEngine({
      knex,
      config: pipelineConfig(deploy.script, {
        drift: { staleAfter: { minutes: 15 } },
      }),
      clock: () => new Date(Date.now() + offsetMs),
    });
    const advance = (ms: number) => {
      offsetMs += ms;
    };
    return { engine, advance };
  }

  type Engine = Awaited<ReturnType<typeof start>>['engine'];

  async function development(engine: Engine) {
    const { environments } = await engine.environments.describe(
      TEST_ENTITY_REF,
    );
    return environments.find(e => e.name === 'development')!;
  }

  async function registerAndDeploy(engine: Engine, version: string) {
    const { release } = await engine.registry.register(
      {
        entityRef: TEST_ENTITY_REF,
        version,
        artifact: {
          type: 'oci-image',
          uri: 'ghcr.io/acme/checkout',
          digest: digestOf(version),
        },
      },
      'ci-pipeline',
    );
    await eventually(
      () => development(engine),
      env => env.currentRelease?.id === release.id,
      `${version} current in development`,
    );
    return release;
  }

  function observe(
    engine: Engine,
    digest: string,
    environment = 'development',
  ) {
    return engine.observations.ingest(
      engine.observations.parse([
        { entityRef: 'Component:default/Checkout', environment, digest },
      ]),
      'ci-pipeline',
    );
  }

  async function driftEvents(engine: Engine) {
    const events = await engine.history.listEvents(TEST_ENTITY_REF, {
      limit: 200,
    });
    return events.items
      .filter(e => e.type === 'drift.changed')
      .map(e => [e.environment, e.details.from, e.details.to, e.actor])
      .reverse();
  }

  it('derives in-sync, drifted, unmanaged and unknown, and records each change once', async () => {
    const { engine, advance } = await start();
    const first = await registerAndDeploy(engine, '1.0.0');
    expect((await development(engine)).drift).toEqual({
      status: 'unknown',
      observedDigest: null,
      observedAt: null,
      observedSource: null,
      observedRelease: null,
      error: null,
    });

    expect(await observe(engine, digestOf('1.0.0'))).toBe(1);
    expect((await development(engine)).drift).toMatchObject({
      status: 'in-sync',
      observedDigest: digestOf('1.0.0'),
      observedSource: 'ci-pipeline',
      observedRelease: { id: first.id, version: '1.0.0', revoked: false },
    });
    // The same observation again changes nothing.
    await observe(engine, digestOf('1.0.0'));

    // A new release becomes current; what runs is still 1.0.0 until observed.
    const second = await registerAndDeploy(engine, '1.1.0');
    await eventually(
      () => driftEvents(engine),
      events => events.length === 2,
      'the drift change after the deployment',
    );
    expect((await development(engine)).drift.status).toBe('drifted');

    await observe(engine, digestOf('patched at midnight'));
    expect((await development(engine)).drift).toMatchObject({
      status: 'unmanaged',
      observedDigest: digestOf('patched at midnight'),
      observedRelease: null,
    });
    await observe(engine, digestOf('1.1.0'));
    expect((await development(engine)).drift).toMatchObject({
      status: 'in-sync',
      observedRelease: { id: second.id, version: '1.1.0' },
    });

    // Staleness is decided when read, and recorded by the sweep.
    advance(16 * 60_000);
    expect((await development(engine)).drift).toMatchObject({
      status: 'unknown',
      observedDigest: digestOf('1.1.0'),
    });
    await engine.observations.sweep(ENGINE_ACTOR);
    await engine.observations.sweep(ENGINE_ACTOR);

    expect(await driftEvents(engine)).toEqual([
      ['development', 'unknown', 'in-sync', 'ci-pipeline'],
      ['development', 'in-sync', 'drifted', ENGINE_ACTOR],
      ['development', 'drifted', 'unmanaged', 'ci-pipeline'],
      ['development', 'unmanaged', 'in-sync', 'ci-pipeline'],
      ['development', 'in-sync', 'unknown', ENGINE_ACTOR],
    ]);
    expect(engine.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'drift-changed',
        meta: expect.objectContaining({
          entityRef: TEST_ENTITY_REF,
          environment: 'development',
          details: expect.objectContaining({
            from: 'drifted',
            to: 'unmanaged',
          }),
        }),
      }),
    );
  });

  it('keeps an older observation reported late in the history only', async () => {
    const { engine } = await start();
    await registerAndDeploy(engine, '1.0.0');
    await observe(engine, digestOf('1.0.0'));
    await engine.observations.ingest(
      engine.observations.parse([
        {
          entityRef: TEST_ENTITY_REF,
          environment: 'development',
          digest: digestOf('old'),
          observedAt: new Date(Date.now() - 60_000).toISOString(),
          source: 'argo',
        },
      ]),
      'ci-pipeline',
    );
    expect((await development(engine)).drift).toMatchObject({
      status: 'in-sync',
      observedDigest: digestOf('1.0.0'),
    });
    expect(
      (
        await engine.db.observations.listObservations(
          { entityRef: TEST_ENTITY_REF, environment: 'development' },
          10,
        )
      ).map(o => [o.digest, o.source]),
    ).toEqual([
      [digestOf('old'), 'argo'],
      [digestOf('1.0.0'), 'ci-pipeline'],
    ]);
  });

  it('refuses a whole batch that names an unknown entity or environment, naming the item, and stores nothing', async () => {
    const { engine } = await start();
    await registerAndDeploy(engine, '1.0.0');
    const eventsBefore = await engine.history.listEvents(TEST_ENTITY_REF, {});
    const good = {
      entityRef: TEST_ENTITY_REF,
      environment: 'development',
      digest: digestOf('1.0.0'),
    };
    const refusals: Array<[object[], object]> = [
      [
        [good, { ...good, environment: 'qa' }],
        {
          name: 'InputError',
          message: expect.stringMatching(
            /^observations\/1\/environment: 'qa' is not an environment of pipeline 'default'/,
          ),
        },
      ],
      [
        [good, good, { ...good, entityRef: 'component:default/ghost' }],
        {
          name: 'NotFoundError',
          message:
            'observations/2/entityRef: entity component:default/ghost is not in the catalog',
        },
      ],
      [
        [{ ...good, entityRef: 'not a ref/' }],
        {
          name: 'InputError',
          message: expect.stringMatching(/^observations\/0\/entityRef must be/),
        },
      ],
      [
        [good, { ...good, digest: 'latest' }],
        {
          name: 'InputError',
          message: expect.stringMatching(/^observations\/1\/digest must be/),
        },
      ],
      [
        [{ ...good, observedAt: 'yesterday' }],
        {
          name: 'InputError',
          message: expect.stringMatching(/^observations\/0\/observedAt/),
        },
      ],
      [
        [{ ...good, observedAt: '2999-01-01T00:00:00Z' }],
        {
          name: 'InputError',
          message: expect.stringMatching(/in the future$/),
        },
      ],
    ];
    for (const [batch, error] of refusals) {
      await expect(
        (async () =>
          engine.observations.ingest(
            engine.observations.parse(batch as any),
            'ci-pipeline',
          ))(),
      ).rejects.toMatchObject(error);
    }
    expect(
      await engine.db.observations.listObservations(
        { entityRef: TEST_ENTITY_REF, environment: 'development' },
        10,
      ),
    ).toEqual([]);
    expect(await engine.history.listEvents(TEST_ENTITY_REF, {})).toEqual(
      eventsBefore,
    );
  });

  it('shows the last probe error and flags a revoked release that still runs', async () => {
    const { engine } = await start();
    const release = await registerAndDeploy(engine, '1.0.0');
    await observe(engine, digestOf('1.0.0'));
    const sink = engine.observations.sinkFor('http-probe:development');
    await sink.reportError({
      entityRef: TEST_ENTITY_REF,
      environment: 'development',
      message: 'GET http://fleet/checkout answered 503',
    });
    await engine.registry.revoke(release.id, 'CVE-2026-0001', 'security');

    const env = await development(engine);
    expect(env.currentRelease).toMatchObject({ id: release.id, revoked: true });
    expect(env.currentDeployment?.release).toMatchObject({
      id: release.id,
      revoked: true,
    });
    expect(env.drift).toMatchObject({
      status: 'in-sync',
      observedRelease: { id: release.id, revoked: true },
      error: {
        message: 'GET http://fleet/checkout answered 503',
        source: 'http-probe:development',
      },
    });

    // A later observation hides the older error.
    await sink.report([
      {
        entityRef: TEST_ENTITY_REF,
        environment: 'development',
        digest: digestOf('1.0.0'),
      },
    ]);
    expect((await development(engine)).drift).toMatchObject({
      observedSource: 'http-probe:development',
      error: null,
    });
  });

  it('accepts a batch of 1000 observations in one transaction', async () => {
    const { engine } = await start();
    await registerAndDeploy(engine, '1.0.0');
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      entityRef: TEST_ENTITY_REF,
      environment: ['development', 'staging', 'production'][i % 3],
      digest: digestOf(`build-${i}`),
      observedAt: new Date(Date.now() - (1000 - i) * 100).toISOString(),
    }));
    expect(
      await engine.observations.ingest(
        engine.observations.parse(batch),
        'ci-pipeline',
      ),
    ).toBe(1000);
    const { environments } = await engine.environments.describe(
      TEST_ENTITY_REF,
    );
    expect(
      environments.map(e => [e.name, e.drift.status, e.drift.observedDigest]),
    ).toEqual([
      ['development', 'unmanaged', digestOf('build-999')],
      ['staging', 'unmanaged', digestOf('build-997')],
      ['production', 'unmanaged', digestOf('build-998')],
    ]);
  });
});
