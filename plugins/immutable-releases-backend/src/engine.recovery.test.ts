import { Knex } from 'knex';
import { createTestDatabases } from '@internal/test-databases';
import {
  createTestEngine,
  currentVersion,
  releaseRequest,
  digestOf,
  eventually,
  pipelineConfig,
  TEST_ENTITY_REF,
  writeDeployScript,
} from './__testUtils__/testEngine';
import { GatesFailedError } from './promotions/PromotionService';

const databases = createTestDatabases();
const ALICE = { actor: 'user:default/alice', isUser: true };

jest.setTimeout(60_000);

describe.each(databases.eachSupportedId())('the engine on %p', databaseId => {
  let knex: Knex;
  const deploy = writeDeployScript();

  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });
  it('rolls back to the previous known-good release, holds the environment, and stops auto-promotion there', async () => {
    const engine = await createTestEngine({
      knex,
      config: pipelineConfig(deploy.script),
    });
    await engine.registry.register(releaseRequest('1.0.0'), 'ci-pipeline');
    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '1.0.0',
      'development',
    );
    await engine.registry.register(releaseRequest('1.1.0'), 'ci-pipeline');
    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '1.1.0',
      'development',
    );

    await expect(
      engine.promotions.rollback(
        { entityRef: TEST_ENTITY_REF, environment: 'development', reason: ' ' },
        ALICE,
      ),
    ).rejects.toThrow('reason is required');

    const rollback = await engine.promotions.rollback(
      {
        entityRef: TEST_ENTITY_REF,
        environment: 'development',
        reason: 'checkout errors',
      },
      ALICE,
    );
    expect(rollback).toMatchObject({
      kind: 'rollback',
      release: { version: '1.0.0' },
    });
    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '1.0.0',
      'rollback',
    );

    const status = await engine.promotions.environments(TEST_ENTITY_REF);
    expect(status.environments[0].hold).toMatchObject({
      reason: expect.stringContaining('checkout errors'),
      setBy: 'user:default/alice',
    });

    await engine.registry.register(releaseRequest('1.2.0'), 'ci-pipeline');
    const events = await engine.promotions.listEvents(TEST_ENTITY_REF, {
      limit: 5,
    });
    expect(events.items[0]).toMatchObject({
      type: 'promotion.skipped',
      environment: 'development',
    });
    expect(await currentVersion(engine, 'development')).toBe('1.0.0');

    await engine.promotions.releaseHold(
      TEST_ENTITY_REF,
      'development',
      'user:default/alice',
    );
    expect(
      (await engine.promotions.environments(TEST_ENTITY_REF)).environments[0]
        .hold,
    ).toBeNull();
    await expect(
      engine.promotions.releaseHold(
        TEST_ENTITY_REF,
        'development',
        'user:default/alice',
      ),
    ).rejects.toThrow('is not held');
  });

  it('never proposes, by default, a release that was rolled back from', async () => {
    const engine = await createTestEngine({
      knex,
      config: pipelineConfig(deploy.script),
    });
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      await engine.registry.register(releaseRequest(version), 'ci-pipeline');
      await eventually(
        () => currentVersion(engine, 'development'),
        v => v === version,
        `${version} in development`,
      );
    }
    const rollBack = () =>
      engine.promotions.rollback(
        {
          entityRef: TEST_ENTITY_REF,
          environment: 'development',
          reason: 'error rate doubled',
        },
        ALICE,
      );

    expect(await rollBack()).toMatchObject({ release: { version: '1.1.0' } });
    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '1.1.0',
      'the first rollback',
    );

    expect(await rollBack()).toMatchObject({ release: { version: '1.0.0' } });
  });

  it('never promotes a revoked release and never rolls back to one by default', async () => {
    const engine = await createTestEngine({
      knex,
      config: pipelineConfig(deploy.script),
    });
    const { release: first } = await engine.registry.register(
      releaseRequest('1.0.0'),
      'ci-pipeline',
    );
    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '1.0.0',
      'development',
    );
    await engine.registry.register(releaseRequest('1.1.0'), 'ci-pipeline');
    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '1.1.0',
      'development',
    );

    const revoked = await engine.registry.revoke(
      first.id,
      'CVE-2026-0001',
      'user:default/alice',
    );
    expect(revoked.revocation).toMatchObject({ reason: 'CVE-2026-0001' });
    await expect(
      engine.registry.revoke(first.id, 'again', 'user:default/alice'),
    ).rejects.toThrow('already revoked');

    const refusal = await engine.promotions
      .promote(
        {
          entityRef: TEST_ENTITY_REF,
          releaseId: first.id,
          environment: 'development',
        },
        ALICE,
      )
      .catch(e => e);
    expect((refusal as GatesFailedError).gates[0]).toMatchObject({
      name: 'not-revoked',
      passed: false,
    });
    await expect(
      engine.promotions.rollback(
        {
          entityRef: TEST_ENTITY_REF,
          environment: 'development',
          reason: 'bad',
        },
        ALICE,
      ),
    ).rejects.toThrow('no release is known-good in development');
  });

  /**
   * A deployment of 4.0.0 that was running when its backend died, and a later
   * instance (an hour later as far as claims go) that registered 4.0.1 and ran
   * its recovery sweep.
   */
  async function crashMidDeployment() {
    process.env.DEPLOY_DELAY_MS = '2000';
    const config = pipelineConfig(deploy.script);
    (config.immutableReleases.pipelines.default as any).queue = 'fifo';
    try {
      const crashed = await createTestEngine({ knex, config, leaseMs: 1_000 });
      await crashed.registry.register(releaseRequest('4.0.0'), 'ci-pipeline');
      await eventually(
        async () =>
          (
            await crashed.promotions.listDeployments(TEST_ENTITY_REF, {})
          ).items,
        items => items[0]?.status === 'running',
        'the deployment to run',
      );
      crashed.runner.abandonForTest();
    } finally {
      delete process.env.DEPLOY_DELAY_MS;
    }
    const successor = await createTestEngine({
      knex,
      config,
      clock: () => new Date(Date.now() + 60 * 60_000),
    });
    await successor.registry.register(releaseRequest('4.0.1'), 'ci-pipeline');
    await successor.runner.recover();
    const byVersion = async () =>
      new Map(
        (
          await successor.promotions.listDeployments(TEST_ENTITY_REF, {})
        ).items.map(d => [d.release.version, d]),
      );
    const development = async () =>
      (await successor.promotions.environments(TEST_ENTITY_REF))
        .environments[0];
    return { successor, byVersion, development };
  }

  it('fails a deployment left running by a backend that died, and holds its environment until a person releases it', async () => {
    const { successor, byVersion, development } = await crashMidDeployment();

    const orphan = (await byVersion()).get('4.0.0')!;
    expect(orphan.status).toBe('failed');
    expect(orphan.transitions.at(-1)?.message).toBe(
      'the backend instance running this deployment stopped before it finished; its outcome is unknown',
    );
    expect((await development()).hold).toMatchObject({
      blocksDeployments: true,
      reason: expect.stringContaining(
        'the outcome of deploying 4.0.0 is unknown',
      ),
    });
    // The automatic promotion of 4.0.1 waits, however often the sweep runs.
    await successor.runner.recover();
    await successor.runner.whenIdle();
    expect((await byVersion()).get('4.0.1')?.status).toBe('pending');

    await successor.promotions.releaseHold(
      TEST_ENTITY_REF,
      'development',
      ALICE.actor,
    );
    await eventually(
      async () => (await byVersion()).get('4.0.1')?.status,
      status => status === 'succeeded',
      '4.0.1 to be deployed once the hold is released',
    );
  });

  it('releases the hold of an unknown outcome once an observation reports what runs', async () => {
    const { successor, byVersion, development } = await crashMidDeployment();

    await successor.observations.ingest(
      successor.observations.parse([
        {
          entityRef: TEST_ENTITY_REF,
          environment: 'development',
          digest: digestOf('4.0.0'),
          observedAt: new Date(Date.now() + 61 * 60_000).toISOString(),
          source: 'fleet',
        },
      ]),
      'ci-pipeline',
    );
    await successor.runner.recover();

    expect((await development()).hold).toBeNull();
    await eventually(
      async () => (await byVersion()).get('4.0.1')?.status,
      status => status === 'succeeded',
      '4.0.1 to be deployed once an observation settled what runs',
    );
    const { items } = await successor.promotions.listEvents(TEST_ENTITY_REF, {
      limit: 20,
    });
    expect(items.find(e => e.type === 'hold.released')?.details).toEqual({
      reason: expect.stringMatching(/^fleet observed sha256:\w+ running at /),
    });
  });
});
