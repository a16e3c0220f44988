import { promotionSnapshot } from '../../__testUtils__/gateSnapshots';
import { notRevoked } from './notRevoked';

describe('notRevoked', () => {
  it('passes a release that was never revoked', () => {
    expect(notRevoked(promotionSnapshot())).toEqual({
      name: 'not-revoked',
      passed: true,
      message: 'release 1.2.0 is not revoked',
    });
  });

  it('refuses a revoked release and gives the reason it was revoked for', () => {
    const result = notRevoked(
      promotionSnapshot({
        revocation: {
          reason: 'CVE-2026-1234 in the base image',
          revokedAt: '2026-11-30T10:00:00.000Z',
          revokedBy: 'user:default/bob',
        },
      }),
    );
    expect(result).toEqual({
      name: 'not-revoked',
      passed: false,
      message: 'release 1.2.0 was revoked: CVE-2026-1234 in the base image',
    });
  });
});
