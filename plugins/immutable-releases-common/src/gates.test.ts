import { blockingGateFailures } from './gates';
import { GateResult } from './types';

describe('blockingGateFailures', () => {
  it('refuses on every failed gate except approvals, which only make a deployment wait', () => {
    const gates: GateResult[] = [
      { name: 'not-revoked', passed: true, message: 'not revoked' },
      { name: 'approvals', passed: false, message: 'waits for 2 approvals' },
      { name: 'soak-time', passed: false, message: 'soaks until 12:00' },
      { name: 'required-checks', passed: false, message: 'lint failed' },
    ];

    expect(blockingGateFailures(gates).map(g => g.name)).toEqual([
      'soak-time',
      'required-checks',
    ]);
    expect(blockingGateFailures(gates.slice(0, 2))).toEqual([]);
  });
});
