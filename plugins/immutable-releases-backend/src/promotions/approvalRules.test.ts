import { DeploymentApproval } from 'backstage-plugin-immutable-releases-common';
import { approvalRefusal, isApproved } from './approvalRules';

const twoApprovals = { approvals: { required: 2, allowSelfApproval: false } };

function approval(
  approver: string,
  decision: DeploymentApproval['decision'] = 'approve',
): DeploymentApproval {
  return { approver, decision, at: '2026-11-30T10:00:00.000Z' };
}

describe('isApproved', () => {
  it('needs as many distinct approvers as the environment requires', () => {
    const promotion = (approvals: DeploymentApproval[]) => ({
      kind: 'promotion' as const,
      approvals,
    });
    expect(
      isApproved(promotion([approval('user:default/bob')]), twoApprovals),
    ).toBe(false);
    expect(
      isApproved(
        promotion([approval('user:default/bob'), approval('user:default/bob')]),
        twoApprovals,
      ),
    ).toBe(false);
    expect(
      isApproved(
        promotion([
          approval('user:default/bob'),
          approval('user:default/dave', 'reject'),
        ]),
        twoApprovals,
      ),
    ).toBe(false);
    expect(
      isApproved(
        promotion([
          approval('user:default/bob'),
          approval('user:default/carol'),
        ]),
        twoApprovals,
      ),
    ).toBe(true);
  });

  it('lets rollbacks and environments without approvals through at once', () => {
    expect(isApproved({ kind: 'rollback', approvals: [] }, twoApprovals)).toBe(
      true,
    );
    expect(
      isApproved({ kind: 'promotion', approvals: [] }, { approvals: null }),
    ).toBe(true);
  });
});

describe('approvalRefusal', () => {
  const deployment = { requestedBy: 'user:default/alice' };
  const release = { createdBy: 'service:ci' };
  const bob = { actor: 'user:default/bob', isUser: true };

  it('lets another user decide', () => {
    expect(
      approvalRefusal({
        approver: bob,
        deployment,
        release,
        environment: twoApprovals,
      }),
    ).toBeUndefined();
  });

  it('refuses service principals, even where self-approval is allowed', () => {
    expect(
      approvalRefusal({
        approver: { actor: 'service:ci', isUser: false },
        deployment,
        release,
        environment: { approvals: { required: 1, allowSelfApproval: true } },
      }),
    ).toBe('only users can approve deployments, not service principals');
  });

  it('refuses the requester and the release creator unless self-approval is allowed', () => {
    const alice = { actor: 'user:default/alice', isUser: true };
    const creator = { createdBy: 'user:default/bob' };
    const refusal =
      'the requester and the release creator cannot approve their own deployment';
    expect(
      approvalRefusal({
        approver: alice,
        deployment,
        release,
        environment: twoApprovals,
      }),
    ).toBe(refusal);
    expect(
      approvalRefusal({
        approver: bob,
        deployment,
        release: creator,
        environment: twoApprovals,
      }),
    ).toBe(refusal);
    expect(
      approvalRefusal({
        approver: alice,
        deployment,
        release,
        environment: { approvals: { required: 1, allowSelfApproval: true } },
      }),
    ).toBeUndefined();
  });
});
