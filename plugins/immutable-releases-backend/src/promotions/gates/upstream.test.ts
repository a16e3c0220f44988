import {
  promotionSnapshot,
  testEnvironment,
} from '../../__testUtils__/gateSnapshots';
import { upstream } from './upstream';

describe('upstream', () => {
  it('passes in a first environment, which has no upstream', () => {
    const result = upstream(
      promotionSnapshot({
        environment: testEnvironment({ name: 'development', from: null }),
        upstream: null,
      }),
    );
    expect(result.passed).toBe(true);
    expect(result.message).toBe('development has no upstream environment');
  });

  it('passes a release that succeeded upstream', () => {
    const result = upstream(promotionSnapshot());
    expect(result.passed).toBe(true);
    expect(result.message).toBe('release 1.2.0 succeeded in staging');
  });

  it('refuses a release that has not succeeded upstream yet', () => {
    const result = upstream(
      promotionSnapshot({
        upstream: {
          environment: 'staging',
          releaseSucceeded: false,
          latestStarted: null,
          successes: [],
        },
      }),
    );
    expect(result).toEqual({
      name: 'upstream',
      passed: false,
      message: 'release 1.2.0 has not succeeded in staging yet',
    });
  });
});
