const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago" (or "in …" for the future). */
export function formatRelativeTime(
  iso: string,
  now: number = Date.now(),
): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 45) {
    return 'just now';
  }
  let value = Math.round(magnitude / DAY);
  let unit = 'day';
  if (magnitude < HOUR) {
    value = Math.round(magnitude / MINUTE);
    unit = 'minute';
  } else if (magnitude < DAY) {
    value = Math.round(magnitude / HOUR);
    unit = 'hour';
  }
  const phrase = `${value} ${unit}${value === 1 ? '' : 's'}`;
  return seconds >= 0 ? `${phrase} ago` : `in ${phrase}`;
}

/** A duration in seconds for people: "45s", "12m", "3h 20m", "2d 4h". */
export function humanizeSeconds(totalSeconds: number): string {
  const seconds = Math.round(totalSeconds);
  if (seconds < MINUTE) {
    return `${seconds}s`;
  }
  if (seconds < HOUR) {
    return `${Math.round(seconds / MINUTE)}m`;
  }
  if (seconds < DAY) {
    const hours = Math.floor(seconds / HOUR);
    const minutes = Math.round((seconds % HOUR) / MINUTE);
    return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  const days = Math.floor(seconds / DAY);
  const hours = Math.round((seconds % DAY) / HOUR);
  return hours ? `${days}d ${hours}h` : `${days}d`;
}

/** A commit sha cut for display. */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{12,}$/i.test(commit) ? commit.slice(0, 7) : commit;
}

/** The server's own message of a failed call (a `ResponseError`'s cause), else the error's. */
export function errorMessage(error: unknown): string {
  const { cause, message } = error as {
    cause?: { message?: unknown };
    message?: unknown;
  };
  if (typeof cause?.message === 'string' && cause.message) {
    return cause.message;
  }
  return typeof message === 'string' ? message : String(error);
}
