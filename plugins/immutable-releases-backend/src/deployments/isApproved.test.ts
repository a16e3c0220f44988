import { DeploymentApproval } from 'backstage-plugin-immutable-releases-common';
import { isApproved } from './isApproved';

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
