import {
  promotionSnapshot,
  testEnvironment,
} from '../../__testUtils__/gateSnapshots';
import { FreezeWindow } from '../../pipelines/pipelineConfig';
import { activeWindowEnd, freezeWindow } from './freezeWindow';

const HOUR = 3_600_000;

/** Every Friday from 18:00 for 64 hours, in Berlin: the weekend. */
const weekend: FreezeWindow = {
  cron: '0 18 * * 5',
  durationMs: 64 * HOUR,
  reason: 'weekend',
  timeZone: 'Europe/Berlin',
};

const at = (iso: string) => new Date(iso);

describe('freezeWindow', () => {
  const frozen = testEnvironment({ freezeWindows: [weekend] });
  // Friday 2026-11-27 18:00 in Berlin (CET, UTC+1) is 17:00 UTC.
  const duringWeekend = at('2026-11-28T10:00:00.000Z');

  it('passes outside every window', () => {
    const result = freezeWindow(
      promotionSnapshot({
        environment: frozen,
        now: at('2026-11-26T10:00:00.000Z'),
      }),
    );
    expect(result).toEqual({
      name: 'freeze-window',
      passed: true,
      message: 'production is not in a freeze window',
    });
  });

  it('refuses during a window, saying until when and why, and that a reason is needed', () => {
    const result = freezeWindow(
      promotionSnapshot({ environment: frozen, now: duringWeekend }),
    );
    expect(result).toEqual({
      name: 'freeze-window',
      passed: false,
      message:
        'production is frozen until 2026-11-30T09:00:00.000Z (weekend); an override reason is needed',
    });
  });

  it('lets an override through only when the requester may override freezes', () => {
    const permitted = freezeWindow(
      promotionSnapshot({
        environment: frozen,
        now: duringWeekend,
        override: { reason: 'payment outage fix', permitted: true },
      }),
    );
    expect(permitted.passed).toBe(true);
    expect(permitted.message).toBe(
      'production is frozen until 2026-11-30T09:00:00.000Z (weekend); overridden: payment outage fix',
    );

    const refused = freezeWindow(
      promotionSnapshot({
        environment: frozen,
        now: duringWeekend,
        override: { reason: 'payment outage fix', permitted: false },
      }),
    );
    expect(refused.passed).toBe(false);
    expect(refused.message).toMatch(
      /overriding needs the immutable-releases\.freeze\.override permission$/,
    );
  });

  it('names the first window that covers the moment when several are configured', () => {
    const release: FreezeWindow = {
      cron: '0 9 30 11 *',
      durationMs: 8 * HOUR,
      reason: 'release day',
      timeZone: 'UTC',
    };
    const result = freezeWindow(
      promotionSnapshot({
        environment: testEnvironment({ freezeWindows: [weekend, release] }),
        now: at('2026-11-30T10:00:00.000Z'),
      }),
    );
    expect(result.message).toBe(
      'production is frozen until 2026-11-30T17:00:00.000Z (release day); an override reason is needed',
    );
  });
});

describe('activeWindowEnd', () => {
  it('is frozen from the first millisecond of the window and open again at its end', () => {
    const start = at('2026-11-27T17:00:00.000Z');
    const end = at('2026-11-30T09:00:00.000Z');
    expect(
      activeWindowEnd(weekend, new Date(start.getTime() - 1)),
    ).toBeUndefined();
    expect(activeWindowEnd(weekend, start)).toEqual(end);
    expect(activeWindowEnd(weekend, new Date(end.getTime() - 1))).toEqual(end);
    expect(activeWindowEnd(weekend, end)).toBeUndefined();
  });

  it('reads the cron expression in the window time zone on both sides of a DST change', () => {
    const evenings: FreezeWindow = {
      cron: '0 18 * * *',
      durationMs: HOUR,
      reason: 'evening batch',
      timeZone: 'Europe/Berlin',
    };
    // Summer time (UTC+2): 18:00 in Berlin is 16:00 UTC.
    expect(activeWindowEnd(evenings, at('2026-10-24T16:30:00.000Z'))).toEqual(
      at('2026-10-24T17:00:00.000Z'),
    );
    // After the change on 2026-10-25 (UTC+1): 18:00 in Berlin is 17:00 UTC.
    expect(
      activeWindowEnd(evenings, at('2026-10-26T16:30:00.000Z')),
    ).toBeUndefined();
    expect(activeWindowEnd(evenings, at('2026-10-26T17:30:00.000Z'))).toEqual(
      at('2026-10-26T18:00:00.000Z'),
    );
  });

  it('measures the duration in real hours across a DST change', () => {
    // Opens Friday 2026-10-23 18:00 CEST (16:00 UTC); the clocks go back on
    // Sunday, so 64 hours later it is 09:00 CET on Monday, not 10:00.
    expect(activeWindowEnd(weekend, at('2026-10-26T07:30:00.000Z'))).toEqual(
      at('2026-10-26T08:00:00.000Z'),
    );
  });

  it('follows each window its own time zone', () => {
    const newYorkMornings: FreezeWindow = {
      cron: '0 9 * * *',
      durationMs: HOUR,
      reason: 'market open',
      timeZone: 'America/New_York',
    };
    // 09:00 in New York (EST, UTC-5) is 14:00 UTC.
    expect(
      activeWindowEnd(newYorkMornings, at('2026-11-30T14:30:00.000Z')),
    ).toEqual(at('2026-11-30T15:00:00.000Z'));
    expect(
      activeWindowEnd(newYorkMornings, at('2026-11-30T09:30:00.000Z')),
    ).toBeUndefined();
  });
});
