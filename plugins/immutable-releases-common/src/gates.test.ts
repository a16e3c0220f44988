import {
  approversOf,
  blockingGateFailures,
  waitingGateFailures,
} from './gates';
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

describe('waitingGateFailures', () => {
  it('keeps only the failed gates that make a deployment wait', () => {
    const gates: GateResult[] = [
      { name: 'approvals', passed: false, message: 'waits for 2 approvals' },
      { name: 'soak-time', passed: false, message: 'soaks until 12:00' },
    ];
    expect(waitingGateFailures(gates)).toEqual([gates[0]]);
    expect(
      waitingGateFailures([{ ...gates[0], passed: true, message: 'none' }]),
    ).toEqual([]);
  });
});

describe('approversOf', () => {
  it('counts each approver once and leaves out rejections', () => {
    const at = '2026-11-30T10:00:00.000Z';
    expect(
      approversOf({
        approvals: [
          { approver: 'user:default/bob', decision: 'approve', at },
          { approver: 'user:default/bob', decision: 'approve', at },
          { approver: 'user:default/dave', decision: 'reject', at },
          { approver: 'user:default/carol', decision: 'approve', at },
        ],
      }),
    ).toEqual(['user:default/bob', 'user:default/carol']);
  });
});
