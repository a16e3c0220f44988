import {
  createTestEngine,
  eventually,
  releaseRequest,
  testEntity,
} from '../__testUtils__/testEngine';
import {
  CI,
  describePromotionScenarios,
} from '../__testUtils__/promotionScenario';

jest.setTimeout(60_000);

/** Entities whose production deployment waits for an approval. */
const WAITING = 60;

describePromotionScenarios('the recovery sweep', ({ deploy, knex }) => {
  it('starts what may start among many environments awaiting approval, reading them in a few statements', async () => {
    const names = Array.from(
      { length: WAITING },
      (_, i) => `service-${String(i).padStart(3, '0')}`,
    );
    const engine = await createTestEngine({
      knex: knex(),
      config: {
        immutableReleases: {
          executors: {
            local: {
              type: 'command',
              command: [process.execPath, deploy.script],
            },
          },
          pipelines: {
            default: {
              environments: [
                {
                  name: 'production',
                  executor: 'local',
                  approvals: { required: 1 },
                },
              ],
            },
          },
        },
      },
      entities: names.map(name => testEntity(name)),
    });
    try {
      const requested = [];
      for (const name of names) {
        const entityRef = `component:default/${name}`;
        const { release } = await engine.registry.register(
          { ...releaseRequest('1.0.0'), entityRef },
          CI.actor,
        );
        const { deployment } = await engine.promotions.promote(
          { entityRef, releaseId: release.id, environment: 'production' },
          CI,
        );
        requested.push(deployment!);
      }
      expect(requested.every(d => d.status === 'pending')).toBe(true);
      // An approval recorded by a replica that stopped before it started the
      // deployment: only the sweep starts it now.
      const approved = requested[WAITING - 7];
      await engine.db.deployments.addApproval(approved.id, {
        approver: 'user:default/alice',
        decision: 'approve',
        at: new Date().toISOString(),
      });

      const statements: string[] = [];
      const count = (query: { sql: string }) => statements.push(query.sql);
      knex().on('query', count);
      try {
        await engine.recovery.recover();
      } finally {
        knex().off('query', count);
      }
      await eventually(
        () => engine.history.getDeployment(approved.id),
        d => d.status === 'succeeded',
        'the approved deployment to run',
      );
      await engine.runner.whenIdle();

      const stillPending = await Promise.all(
        requested
          .filter(d => d.id !== approved.id)
          .map(d => engine.history.getDeployment(d.id)),
      );
      expect(stillPending.map(d => d.status)).toEqual(
        Array(WAITING - 1).fill('pending'),
      );
      // Before, the sweep read each environment's pending deployments on
      // its own: one statement per environment awaiting approval.
      expect(statements.length).toBeLessThan(WAITING / 4);
    } finally {
      await engine.runner.stop();
    }
  });
});
