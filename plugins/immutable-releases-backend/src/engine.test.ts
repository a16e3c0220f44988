import { Knex } from 'knex';
import { createTestDatabases } from '@internal/test-utils';
import {
  createTestEngine,
  digestOf,
  eventually,
  pipelineConfig,
  readDeployLog,
  releaseRequest,
  currentVersion,
  TEST_ENTITY_REF,
  writeDeployScript,
} from './__testUtils__/testEngine';
import { GatesFailedError } from './promotions/PromotionRequests';

const databases = createTestDatabases();
const CI = { actor: 'ci-pipeline', isUser: false };
const ALICE = { actor: 'user:default/alice', isUser: true };

jest.setTimeout(60_000);

describe.each(databases.eachSupportedId())('the engine on %p', databaseId => {
  let knex: Knex;
  const deploy = writeDeployScript();

  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  it('warns at start when no pipeline is configured, and a registration then names the missing annotation', async () => {
    const engine = await createTestEngine({ knex, config: {} });

    expect(engine.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'No pipeline is configured under immutableReleases.pipelines',
      ),
    );
    await expect(
      engine.registry.register(releaseRequest('1.0.0'), CI.actor),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'has no immutable-releases/pipeline annotation',
      ),
    });
  });

  it('auto-promotes a new release to development with the command executor, then promotes it to staging', async () => {
    const engine = await createTestEngine({
      knex,
      config: pipelineConfig(deploy.script),
    });
    const { release } = await engine.registry.register(
      releaseRequest('1.0.0'),
      'ci-pipeline',
    );

    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '1.0.0',
      'development',
    );
    const starts = readDeployLog(deploy.log).filter(
      l => l.what === 'start' && l.environment === 'development',
    );
    expect(starts.map(s => s.ref)).toContain(
      `ghcr.io/acme/checkout@${digestOf('1.0.0')}`,
    );

    const { deployment } = await engine.promotions.promote(
      {
        entityRef: TEST_ENTITY_REF,
        releaseId: release.id,
        environment: 'staging',
        reason: 'ship it',
      },
      ALICE,
    );
    const finished = await eventually(
      () => engine.history.getDeployment(deployment!.id),
      d => d.status === 'succeeded',
      'staging deployment',
    );
    expect(finished.transitions.map(t => t.status)).toEqual([
      'pending',
      'running',
      'succeeded',
    ]);
    expect(finished.transitions[0]).toMatchObject({
      actor: 'user:default/alice',
    });
    expect(finished.executor).toMatchObject({ name: 'local', type: 'command' });
    expect(finished.executor?.output).toContain(
      `deployed ghcr.io/acme/checkout@${digestOf('1.0.0')}`,
    );
    expect(await currentVersion(engine, 'staging')).toBe('1.0.0');

    const events = await engine.history.listEvents(TEST_ENTITY_REF, {});
    expect(events.items.map(e => e.type)).toEqual(
      expect.arrayContaining([
        'release.registered',
        'deployment.requested',
        'deployment.running',
        'deployment.succeeded',
      ]),
    );
    expect(engine.auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'release-registered' }),
    );
  });

  it('refuses a promotion whose upstream or required checks did not pass, and stores nothing', async () => {
    const engine = await createTestEngine({
      knex,
      config: pipelineConfig(deploy.script),
    });
    const { release } = await engine.registry.register(
      releaseRequest('2.0.0', { checks: [] }),
      'ci-pipeline',
    );
    await eventually(
      () => currentVersion(engine, 'development'),
      v => v === '2.0.0',
      'development',
    );

    const request = {
      entityRef: TEST_ENTITY_REF,
      releaseId: release.id,
      environment: 'production',
    };
    const refusal = await engine.promotions
      .promote(request, ALICE)
      .catch(e => e);
    expect(refusal).toBeInstanceOf(GatesFailedError);
    const failed = (refusal as GatesFailedError).gates
      .filter(g => !g.passed)
      .map(g => g.name);
    expect(failed).toEqual(['upstream', 'required-checks']);

    const dryRun = await engine.promotions.promote(
      { ...request, environment: 'staging', dryRun: true },
      ALICE,
    );
    expect(dryRun.deployment).toBeUndefined();
    expect(dryRun.gates.find(g => g.name === 'required-checks')).toMatchObject({
      passed: false,
      message: expect.stringContaining('unit-tests is missing'),
    });
    const stored = await engine.history.listDeployments(TEST_ENTITY_REF, {
      environment: 'staging',
    });
    expect(stored.items).toEqual([]);
  });

  it('fails a deployment whose command fails, keeps its output, and leaves the current release alone', async () => {
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

    const { release: broken } = await engine.registry.register(
      releaseRequest('1.0.1', { labels: { fail: 'true' } }),
      'ci-pipeline',
    );
    const [failed] = await eventually(
      async () =>
        (
          await engine.history.listDeployments(TEST_ENTITY_REF, {
            environment: 'development',
          })
        ).items,
      items =>
        items[0]?.releaseId === broken.id && items[0].status === 'failed',
      'the failed deployment',
    );
    expect(failed.transitions.at(-1)?.message).toBe(
      'command exited with code 3',
    );
    expect(failed.executor?.output).toContain('deploy failed on purpose');
    expect(await currentVersion(engine, 'development')).toBe('1.0.0');
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

    const status = await engine.environments.describe(TEST_ENTITY_REF);
    expect(status.environments[0].hold).toMatchObject({
      reason: expect.stringContaining('checkout errors'),
      setBy: 'user:default/alice',
    });

    await engine.registry.register(releaseRequest('1.2.0'), 'ci-pipeline');
    const events = await engine.history.listEvents(TEST_ENTITY_REF, {
      limit: 5,
    });
    expect(events.items[0]).toMatchObject({
      type: 'promotion.skipped',
      environment: 'development',
    });
    expect(await currentVersion(engine, 'development')).toBe('1.0.0');

    await engine.queue.releaseHold(
      TEST_ENTITY_REF,
      'development',
      'user:default/alice',
    );
    expect(
      (await engine.environments.describe(TEST_ENTITY_REF)).environments[0]
        .hold,
    ).toBeNull();
    await expect(
      engine.queue.releaseHold(
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
});
