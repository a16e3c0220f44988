import { approvalRefusal } from './approvalRules';

const twoApprovals = { approvals: { required: 2, allowSelfApproval: false } };

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
