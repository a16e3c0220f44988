import { dayLabel, fullTimestamp, groupByDay, timeOfDay } from './eventDays';

/** An ISO time of a local date and time, whatever the test machine's time zone. */
function local(
  year: number,
  month: number,
  day: number,
  hours = 12,
  minutes = 0,
) {
  return new Date(year, month - 1, day, hours, minutes, 9).toISOString();
}

const now = new Date(local(2026, 11, 25, 9, 30));

describe('dayLabel', () => {
  it('says Today and Yesterday, and names older days with their weekday', () => {
    expect(dayLabel(local(2026, 11, 25, 0, 1), now)).toBe('Today');
    expect(dayLabel(local(2026, 11, 24, 23, 59), now)).toBe('Yesterday');
    expect(dayLabel(local(2026, 11, 23), now)).toBe('Mon 23 Nov 2026');
    expect(dayLabel(local(2025, 1, 1), now)).toBe('Wed 1 Jan 2025');
  });

  it('knows yesterday across a month boundary', () => {
    expect(
      dayLabel(local(2026, 11, 30, 22), new Date(local(2026, 12, 1, 8))),
    ).toBe('Yesterday');
  });
});

describe('timeOfDay and fullTimestamp', () => {
  it('shows the local time of day, and in full with the recorded UTC time', () => {
    const at = local(2026, 11, 23, 14, 5);
    expect(timeOfDay(at)).toBe('14:05');
    expect(fullTimestamp(at)).toBe(`Mon 23 Nov 2026, 14:05:09 (${at})`);
  });
});

describe('groupByDay', () => {
  it('keeps the order and starts a group at each new local day', () => {
    const events = [
      { id: 'a', at: local(2026, 11, 25, 9) },
      { id: 'b', at: local(2026, 11, 25, 1) },
      { id: 'c', at: local(2026, 11, 24, 18) },
      { id: 'd', at: local(2026, 11, 20, 18) },
      { id: 'e', at: local(2026, 11, 20, 7) },
    ];
    expect(
      groupByDay(events, now).map(group => [
        group.label,
        group.items.map(item => item.id),
      ]),
    ).toEqual([
      ['Today', ['a', 'b']],
      ['Yesterday', ['c']],
      ['Fri 20 Nov 2026', ['d', 'e']],
    ]);
  });
});
