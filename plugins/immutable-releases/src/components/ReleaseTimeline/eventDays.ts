const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** The local calendar day of a time, as a key: "2026-11-23". */
function dayKey(date: Date): string {
  return `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(
    date.getDate(),
  )}`;
}

/** "Mon 23 Nov 2026", in local time. */
export function formatDay(date: Date): string {
  return `${WEEKDAYS[date.getDay()]} ${date.getDate()} ${
    MONTHS[date.getMonth()]
  } ${date.getFullYear()}`;
}

/** "Today", "Yesterday", or the day itself ("Mon 23 Nov 2026"), in local time. */
export function dayLabel(iso: string, now: Date): string {
  const date = new Date(iso);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  switch (dayKey(date)) {
    case dayKey(now):
      return 'Today';
    case dayKey(yesterday):
      return 'Yesterday';
    default:
      return formatDay(date);
  }
}

/** "14:05", local time. */
export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
}

/** "Mon 23 Nov 2026, 14:05:09 (2026-11-23T13:05:09.000Z)": local time, and UTC as recorded. */
export function fullTimestamp(iso: string): string {
  const date = new Date(iso);
  return `${formatDay(date)}, ${timeOfDay(iso)}:${twoDigits(
    date.getSeconds(),
  )} (${iso})`;
}

/** Items in their order, in runs of one local day each, labelled for a subheader. */
export function groupByDay<T extends { at: string }>(
  items: readonly T[],
  now: Date,
): Array<{ day: string; label: string; items: T[] }> {
  const days: Array<{ day: string; label: string; items: T[] }> = [];
  for (const item of items) {
    const day = dayKey(new Date(item.at));
    const last = days[days.length - 1];
    if (last?.day === day) {
      last.items.push(item);
    } else {
      days.push({ day, label: dayLabel(item.at, now), items: [item] });
    }
  }
  return days;
}
