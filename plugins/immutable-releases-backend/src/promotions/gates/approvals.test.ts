import {
  promotionSnapshot,
  testEnvironment,
} from '../../__testUtils__/gateSnapshots';
import { approvals } from './approvals';

describe('approvals', () => {
  it('passes when the environment requires no approvals', () => {
    const result = approvals(promotionSnapshot());
    expect(result.passed).toBe(true);
    expect(result.message).toBe('production requires no approvals');
  });

  it.each([
    [1, 'waits for 1 approval'],
    [2, 'waits for 2 approvals'],
  ])(
    'fails with %i required approval(s), saying what it waits for',
    (required, message) => {
      const result = approvals(
        promotionSnapshot({
          environment: testEnvironment({
            approvals: { required, allowSelfApproval: false },
          }),
        }),
      );
      expect(result).toEqual({ name: 'approvals', passed: false, message });
    },
  );
});
