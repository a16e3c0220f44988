import {
  NOW,
  promotionSnapshot,
  testEnvironment,
} from '../../__testUtils__/gateSnapshots';
import { UpstreamHistory } from './GateSnapshot';
import { soakTime } from './soakTime';

const HOUR = 3_600_000;
const soaking = testEnvironment({ soakTimeMs: 2 * HOUR });

function hoursAgo(hours: number): string {
  return new Date(NOW.getTime() - hours * HOUR).toISOString();
}

function stagingHistory(
  successes: UpstreamHistory['successes'],
  latestStarted: UpstreamHistory['latestStarted'] = {
    version: '1.2.0',
    status: 'succeeded',
  },
): UpstreamHistory {
  return {
    environment: 'staging',
    releaseSucceeded: successes.length > 0,
    latestStarted,
    successes,
  };
}

describe('soakTime', () => {
  it('passes when the environment requires no soak time', () => {
    const result = soakTime(
      promotionSnapshot({ upstream: stagingHistory([]) }),
    );
    expect(result.passed).toBe(true);
    expect(result.message).toBe('production requires no soak time');
  });

  it('passes in a first environment, which has nothing to soak in', () => {
    const result = soakTime(
      promotionSnapshot({
        environment: testEnvironment({ from: null, soakTimeMs: 2 * HOUR }),
        upstream: null,
      }),
    );
    expect(result.passed).toBe(true);
  });

  it('passes at exactly the soak time, counted from the success upstream', () => {
    const result = soakTime(
      promotionSnapshot({
        environment: soaking,
        upstream: stagingHistory([{ releaseId: 'release-2', at: hoursAgo(2) }]),
      }),
    );
    expect(result).toEqual({
      name: 'soak-time',
      passed: true,
      message: 'release 1.2.0 soaked in staging for 2 hours (2 hours required)',
    });
  });

  it('fails one millisecond short of the soak time, saying when it passes', () => {
    const since = new Date(NOW.getTime() - 2 * HOUR + 1).toISOString();
    const result = soakTime(
      promotionSnapshot({
        environment: soaking,
        upstream: stagingHistory([{ releaseId: 'release-2', at: since }]),
      }),
    );
    expect(result.passed).toBe(false);
    expect(result.passesAt).toBe(new Date(NOW.getTime() + 1).toISOString());
    expect(result.message).toBe(
      `release 1.2.0 has soaked in staging for 2 hours of 2 hours; passes at ${result.passesAt}`,
    );
  });

  it('counts only the time a release was current: a replaced release never passes later', () => {
    const result = soakTime(
      promotionSnapshot({
        environment: soaking,
        upstream: stagingHistory([
          { releaseId: 'release-3', at: hoursAgo(5) },
          { releaseId: 'release-2', at: hoursAgo(6) },
        ]),
      }),
    );
    expect(result.passed).toBe(false);
    expect(result.passesAt).toBeUndefined();
    expect(result.message).toBe(
      'release 1.2.0 was current in staging for only 1 hour before it was replaced (2 hours required)',
    );
  });

  it('passes a replaced release that was current for the whole soak time', () => {
    const result = soakTime(
      promotionSnapshot({
        environment: soaking,
        upstream: stagingHistory([
          { releaseId: 'release-3', at: hoursAgo(1) },
          { releaseId: 'release-2', at: hoursAgo(4) },
        ]),
      }),
    );
    expect(result.passed).toBe(true);
    expect(result.message).toBe(
      'release 1.2.0 soaked in staging for 3 hours (2 hours required)',
    );
  });

  it('fails, without a time it passes at, when the latest deployment upstream failed', () => {
    const result = soakTime(
      promotionSnapshot({
        environment: soaking,
        upstream: stagingHistory(
          [{ releaseId: 'release-2', at: hoursAgo(10) }],
          { version: '1.3.0', status: 'failed' },
        ),
      }),
    );
    expect(result).toEqual({
      name: 'soak-time',
      passed: false,
      message: 'the latest deployment in staging (release 1.3.0) failed',
    });
  });

  it('fails a release that never ran upstream', () => {
    const result = soakTime(
      promotionSnapshot({
        environment: soaking,
        upstream: stagingHistory([{ releaseId: 'release-1', at: hoursAgo(9) }]),
      }),
    );
    expect(result.passed).toBe(false);
    expect(result.message).toBe('release 1.2.0 has not run in staging');
  });
});
