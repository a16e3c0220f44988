import { describeApprovals, requiredApprovals } from './approvalProgress';

const waitsFor = (required: number) => [
  { name: 'upstream' as const, passed: true, message: 'succeeded in staging' },
  {
    name: 'approvals' as const,
    passed: false,
    message: `waits for ${required} approval${required === 1 ? '' : 's'}`,
  },
];
const approval = (approver: string, decision: 'approve' | 'reject') => ({
  approver,
  decision,
  at: '2024-05-01T10:00:00Z',
});

describe('approval progress', () => {
  it('reads the required count from the approvals gate', () => {
    expect(requiredApprovals({ gates: waitsFor(2) })).toBe(2);
    expect(requiredApprovals({ gates: waitsFor(1) })).toBe(1);
    expect(requiredApprovals({ gates: [] })).toBeUndefined();
  });

  it('counts distinct approvers against the requirement', () => {
    expect(
      describeApprovals({
        gates: waitsFor(2),
        approvals: [
          approval('user:default/bob', 'approve'),
          approval('user:default/bob', 'approve'),
        ],
      }),
    ).toBe('1 of 2 approvals: user:default/bob');
    expect(describeApprovals({ gates: waitsFor(1), approvals: [] })).toBe(
      '0 of 1 approval',
    );
  });

  it('says what is known without the requirement', () => {
    expect(describeApprovals({ gates: [], approvals: [] })).toBe(
      'No approvals yet',
    );
    expect(
      describeApprovals({
        gates: [],
        approvals: [approval('user:default/carol', 'approve')],
      }),
    ).toBe('1 approval so far: user:default/carol');
  });
});
