import { ConflictError, NotAllowedError } from '@backstage/errors';
import { TEST_ENTITY_REF } from '../__testUtils__/testEngine';
import {
  describePromotionScenarios,
  ALICE,
  BOB,
  CAROL,
  CI,
  configWith,
} from '../__testUtils__/promotionScenario';

jest.setTimeout(60_000);

describePromotionScenarios('approvals', ({ setUp, deploy }) => {
  it('waits for two distinct approvers, refuses self-approval and services, and rejects on one no', async () => {
    const { engine, register, finished } = await setUp(
      configWith(deploy.script, 'staging', { approvals: { required: 2 } }),
    );
    const release = await register('1.0.0');
    const request = {
      entityRef: TEST_ENTITY_REF,
      releaseId: release.id,
      environment: 'staging',
    };

    const { deployment } = await engine.promotions.promote(request, ALICE);
    expect(deployment).toMatchObject({ status: 'pending' });
    expect(deployment!.gates.find(g => g.name === 'approvals')).toMatchObject({
      passed: false,
      message: 'waits for 2 approvals',
    });

    await expect(
      engine.approvals.decide(deployment!.id, 'approve', undefined, ALICE),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      engine.approvals.decide(deployment!.id, 'approve', undefined, CI),
    ).rejects.toThrow('only users can approve');
    await engine.approvals.decide(deployment!.id, 'approve', 'looks good', BOB);
    await expect(
      engine.approvals.decide(deployment!.id, 'approve', undefined, BOB),
    ).rejects.toThrow(ConflictError);
    expect((await engine.history.getDeployment(deployment!.id)).status).toBe(
      'pending',
    );

    await engine.approvals.decide(deployment!.id, 'approve', undefined, CAROL);
    const done = await finished(deployment!.id);
    expect(done.status).toBe('succeeded');
    expect(done.approvals.map(a => a.approver)).toEqual([
      'user:default/bob',
      'user:default/carol',
    ]);

    const second = await register('1.1.0');
    const { deployment: rejected } = await engine.promotions.promote(
      { ...request, releaseId: second.id },
      ALICE,
    );
    const after = await engine.approvals.decide(
      rejected!.id,
      'reject',
      'not today',
      BOB,
    );
    expect(after.status).toBe('rejected');
    expect(after.transitions.at(-1)?.message).toBe(
      'rejected by user:default/bob: not today',
    );
  });

  it('never records an approval after a cancellation, however the two race', async () => {
    const { engine, register } = await setUp(
      configWith(deploy.script, 'staging', { approvals: { required: 2 } }),
    );
    for (let round = 0; round < 12; round++) {
      const release = await register(`1.0.${round}`);
      const { deployment } = await engine.promotions.promote(
        {
          entityRef: TEST_ENTITY_REF,
          releaseId: release.id,
          environment: 'staging',
        },
        ALICE,
      );
      const [approval, cancellation] = await Promise.allSettled([
        engine.approvals.decide(deployment!.id, 'approve', 'ok', BOB),
        engine.queue.cancel(deployment!.id, 'changed my mind', ALICE.actor),
      ]);

      expect(cancellation.status).toBe('fulfilled');
      const final = await engine.history.getDeployment(deployment!.id);
      expect(final.status).toBe('cancelled');
      const { items: newestFirst } = await engine.history.listEvents(
        TEST_ENTITY_REF,
        { limit: 50 },
      );
      const order = newestFirst
        .filter(e => e.deploymentId === deployment!.id)
        .map(e => e.type)
        .reverse();
      // Either the approval came first and both count, or it was refused.
      const approved = approval.status === 'fulfilled';
      expect({
        approvals: final.approvals.length,
        approvalEvent: order.includes('approval.approved'),
        approvalBeforeCancellation:
          order.indexOf('approval.approved') <
          order.indexOf('deployment.cancelled'),
        refusal: approval.status === 'rejected' ? approval.reason.name : null,
      }).toEqual({
        approvals: approved ? 1 : 0,
        approvalEvent: approved,
        approvalBeforeCancellation: true,
        refusal: approved ? null : 'ConflictError',
      });
    }
  });
});
