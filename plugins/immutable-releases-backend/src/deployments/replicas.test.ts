import knexFactory from 'knex';
import {
  Deployment,
  TERMINAL_DEPLOYMENT_STATUSES,
} from 'backstage-plugin-immutable-releases-common';
import {
  createTestEngine,
  currentVersion,
  digestOf,
  eventually,
  pipelineConfig,
  readDeployLog,
  TEST_ENTITY_REF,
} from '../__testUtils__/testEngine';
import {
  ALICE,
  CI,
  describePromotionScenarios,
  releaseRequest,
} from '../__testUtils__/promotionScenario';

jest.setTimeout(60_000);

/** Several backend replicas on one database, and a replica that dies mid-deployment. */
describePromotionScenarios('replicas', ({ deploy, knex }) => {
  it.each([
    ['fifo', 6, 2],
    ['newest-wins', 10, 5],
  ])(
    'lets two engines on one database race promotions (%s queue, %p releases x %p requests) without ever running two at once',
    async (queue, releaseCount, requestsPerRelease) => {
      // A second connection pool where the database allows it, as a second replica would have.
      const client = knex().client.config.client;
      const secondKnex =
        client === 'pg'
          ? knexFactory({ client, connection: knex().client.config.connection })
          : knex();
      // One environment that takes promotions only when asked, so every request races.
      const config = pipelineConfig(deploy.script);
      config.immutableReleases.pipelines.default = {
        queue,
        environments: [{ name: 'staging', executor: 'local' }],
      } as any;
      const replicaA = await createTestEngine({ knex: knex(), config });
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
              replicaA.recovery.recover(),
              replicaB.recovery.recover(),
            ]);
            return Promise.all(
              requested.map(d => replicaA.history.getDeployment(d.id)),
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
        if (secondKnex !== knex()) {
          await secondKnex.destroy();
        }
      }
    },
  );

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
      const crashed = await createTestEngine({
        knex: knex(),
        config,
        leaseMs: 1_000,
      });
      await crashed.registry.register(releaseRequest('4.0.0'), 'ci-pipeline');
      await eventually(
        async () =>
          (
            await crashed.history.listDeployments(TEST_ENTITY_REF, {})
          ).items,
        items => items[0]?.status === 'running',
        'the deployment to run',
      );
      crashed.runner.abandonForTest();
    } finally {
      delete process.env.DEPLOY_DELAY_MS;
    }
    const successor = await createTestEngine({
      knex: knex(),
      config,
      clock: () => new Date(Date.now() + 60 * 60_000),
    });
    await successor.registry.register(releaseRequest('4.0.1'), 'ci-pipeline');
    await successor.recovery.recover();
    const byVersion = async () =>
      new Map(
        (
          await successor.history.listDeployments(TEST_ENTITY_REF, {})
        ).items.map(d => [d.release.version, d]),
      );
    const development = async () =>
      (await successor.environments.describe(TEST_ENTITY_REF)).environments[0];
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
    await successor.recovery.recover();
    await successor.runner.whenIdle();
    expect((await byVersion()).get('4.0.1')?.status).toBe('pending');

    await successor.queue.releaseHold(
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
    await successor.recovery.recover();

    expect((await development()).hold).toBeNull();
    await eventually(
      async () => (await byVersion()).get('4.0.1')?.status,
      status => status === 'succeeded',
      '4.0.1 to be deployed once an observation settled what runs',
    );
    const { items } = await successor.history.listEvents(TEST_ENTITY_REF, {
      limit: 20,
    });
    expect(items.find(e => e.type === 'hold.released')?.details).toEqual({
      reason: expect.stringMatching(/^fleet observed sha256:\w+ running at /),
    });
  });
});
