// Time fields as GitLab writes them: ISO 8601 with milliseconds in UTC, durations in (fractional) seconds.

/** `2015-12-24T15:51:21.880Z`, or null. */
export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** Seconds from `from` to `to` (or to now while it is still going), or null when it never started. */
export function seconds(from: Date | null | undefined, to: Date | null | undefined, now = new Date()): number | null {
  if (!from) return null;
  return Math.max(0, ((to ?? now).getTime() - from.getTime()) / 1000);
}
