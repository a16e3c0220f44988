import { TEST_ENTITY_REF } from '../__testUtils__/testEngine';
import {
  describePromotionScenarios,
  ALICE,
  configWith,
  releaseRequest,
} from '../__testUtils__/promotionScenario';
import { GatesFailedError } from './PromotionRequests';

jest.setTimeout(60_000);

describePromotionScenarios('promotion requests', ({ setUp, deploy }) => {
  it('holds a promotion until the release has soaked upstream, and says when it will pass', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { engine, register } = await setUp(
      configWith(deploy.script, 'staging', { soakTime: { minutes: 10 } }),
      () => new Date(now),
    );
    const release = await register('1.0.0');
    const request = {
      entityRef: TEST_ENTITY_REF,
      releaseId: release.id,
      environment: 'staging',
    };

    now += 4 * 60_000;
    const refusal = (await engine.promotions
      .promote(request, ALICE)
      .catch(e => e)) as GatesFailedError;
    expect(refusal).toBeInstanceOf(GatesFailedError);
    const soak = refusal.gates.find(g => g.name === 'soak-time')!;
    expect(soak.passed).toBe(false);
    expect(soak.message).toMatch(
      /soaked in development for 4 minutes of 10 minutes; passes at 2026-11-20T10:10:00/,
    );

    now += 7 * 60_000;
    const { deployment } = await engine.promotions.promote(request, ALICE);
    expect(deployment?.gates.find(g => g.name === 'soak-time')?.passed).toBe(
      true,
    );
  });

  it('refuses promotions during a freeze window unless overridden with permission, and allows rollbacks', async () => {
    const now = Date.parse('2026-11-21T12:00:00Z'); // a Saturday
    const { engine, finished } = await setUp(
      configWith(deploy.script, 'development', {
        freezeWindows: [
          {
            cron: '0 18 * * 5',
            duration: { hours: 62 },
            reason: 'weekend freeze',
          },
        ],
        autoPromote: false,
      }),
      () => new Date(now),
    );
    const { release } = await engine.registry.register(
      releaseRequest('1.0.0'),
      'ci-pipeline',
    );
    const request = {
      entityRef: TEST_ENTITY_REF,
      releaseId: release.id,
      environment: 'development',
    };

    const refusal = (await engine.promotions
      .promote(request, ALICE)
      .catch(e => e)) as GatesFailedError;
    expect(refusal.gates.find(g => g.name === 'freeze-window')?.message).toBe(
      'development is frozen until 2026-11-23T08:00:00.000Z (weekend freeze); an override reason is needed',
    );
    const withoutPermission = (await engine.promotions
      .promote({ ...request, override: { reason: 'hotfix' } }, ALICE)
      .catch(e => e)) as GatesFailedError;
    expect(
      withoutPermission.gates.find(g => g.name === 'freeze-window')?.message,
    ).toMatch(/needs the immutable-releases.freeze.override permission/);

    const { deployment } = await engine.promotions.promote(
      { ...request, override: { reason: 'hotfix for INC-42' } },
      { ...ALICE, mayOverrideFreeze: true },
    );
    await finished(deployment!.id);
    const events = await engine.history.listEvents(TEST_ENTITY_REF, {});
    expect(
      events.items.find(e => e.type === 'freeze.overridden'),
    ).toMatchObject({
      actor: 'user:default/alice',
      details: { reason: 'hotfix for INC-42' },
    });

    const { release: second } = await engine.registry.register(
      releaseRequest('1.1.0'),
      'ci-pipeline',
    );
    await finished(
      (
        await engine.promotions.promote(
          {
            ...request,
            releaseId: second.id,
            override: { reason: 'second hotfix' },
          },
          { ...ALICE, mayOverrideFreeze: true },
        )
      ).deployment!.id,
    );
    const rollback = await engine.promotions.rollback(
      {
        entityRef: TEST_ENTITY_REF,
        environment: 'development',
        reason: 'hotfix broke login',
      },
      ALICE,
    );
    expect((await finished(rollback.id)).status).toBe('succeeded');
  });
});
