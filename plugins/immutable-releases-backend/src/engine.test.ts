import knexFactory, { Knex } from 'knex';
import {
  Deployment,
  TERMINAL_DEPLOYMENT_STATUSES,
} from 'backstage-plugin-immutable-releases-common';
import { createTestDatabases } from '@internal/test-databases';
import {
  createTestEngine,
  currentVersion,
  releaseRequest,
  digestOf,
  eventually,
  pipelineConfig,
  readDeployLog,
  TEST_ENTITY_REF,
  writeDeployScript,
} from './__testUtils__/testEngine';
import { GatesFailedError } from './promotions/PromotionService';

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
      () => engine.promotions.getDeployment(deployment!.id),
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

    const events = await engine.promotions.listEvents(TEST_ENTITY_REF, {});
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
    const stored = await engine.promotions.listDeployments(TEST_ENTITY_REF, {
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
          await engine.promotions.listDeployments(TEST_ENTITY_REF, {
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

  it.each([
    ['fifo', 6, 2],
    ['newest-wins', 10, 5],
  ])(
    'lets two engines on one database race promotions (%s queue, %p releases x %p requests) without ever running two at once',
    async (queue, releaseCount, requestsPerRelease) => {
      // A second connection pool where the database allows it, as a second replica would have.
      const client = knex.client.config.client;
      const secondKnex =
        client === 'pg'
          ? knexFactory({ client, connection: knex.client.config.connection })
          : knex;
      // One environment that takes promotions only when asked, so every request races.
      const config = pipelineConfig(deploy.script);
      config.immutableReleases.pipelines.default = {
        queue,
        environments: [{ name: 'staging', executor: 'local' }],
      } as any;
      const replicaA = await createTestEngine({ knex, config });
      const replicaB = await createTestEngine({ knex: secondKnex, config });
      try {
        const releases = [];
        for (let i = 0; i < releaseCount; i++) {
          const { release } = await replicaA.registry.register(
            releaseRequest(`3.${queue.length}.${i}`),
            'ci-pipeline',
          );
          releases.push(release);
        }
        process.env.DEPLOY_DELAY_MS = '30';
        const requests = releases.flatMap((release, i) =>
          Array.from({ length: requestsPerRelease }, (_, n) =>
            ((i + n) % 2 ? replicaA : replicaB).promotions.promote(
              {
                entityRef: TEST_ENTITY_REF,
                releaseId: release.id,
                environment: 'staging',
              },
              CI,
            ),
          ),
        );
        const requested = (await Promise.all(requests)).map(r => r.deployment!);
        expect(requested).toHaveLength(releaseCount * requestsPerRelease);
        // Replicas start work when asked; the recovery sweep is what asks when a
        // request landed on the replica whose environment was busy.
        const deployments: Deployment[] = await eventually(
          async () => {
            await Promise.all([
              replicaA.runner.recover(),
              replicaB.runner.recover(),
            ]);
            return Promise.all(
              requested.map(d => replicaA.promotions.getDeployment(d.id)),
            );
          },
          all =>
            all.every(d => TERMINAL_DEPLOYMENT_STATUSES.includes(d.status)),
          'every promotion to finish',
        );
        await Promise.all([
          replicaA.runner.whenIdle(),
          replicaB.runner.whenIdle(),
        ]);

        const succeeded = deployments.filter(d => d.status === 'succeeded');
        // fifo runs every request; newest-wins may supersede any that still waited.
        const acceptable =
          queue === 'fifo' ? ['succeeded'] : ['succeeded', 'superseded'];
        expect(deployments.filter(d => !acceptable.includes(d.status))).toEqual(
          [],
        );
        const intervals = new Map<string, { start: number; end: number }>();
        for (const line of readDeployLog(deploy.log).filter(
          l => l.environment === 'staging',
        )) {
          const interval = intervals.get(line.id) ?? { start: 0, end: 0 };
          interval[line.what as 'start' | 'end'] = line.at;
          intervals.set(line.id, interval);
        }
        const ran = succeeded
          .map(d => intervals.get(d.id)!)
          .sort((a, b) => a.start - b.start);
        for (let i = 1; i < ran.length; i++) {
          expect(ran[i].start).toBeGreaterThanOrEqual(ran[i - 1].end);
        }
        const lastSucceeded = [...succeeded]
          .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
          .at(-1)!;
        expect(await currentVersion(replicaA, 'staging')).toBe(
          lastSucceeded.release.version,
        );
      } finally {
        delete process.env.DEPLOY_DELAY_MS;
        await Promise.all([replicaA.runner.stop(), replicaB.runner.stop()]);
        if (secondKnex !== knex) {
          await secondKnex.destroy();
        }
      }
    },
  );
});
