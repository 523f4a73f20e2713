// Display formats GitLab's pages use: durations, "3 minutes ago", short SHAs, byte sizes.

/** `00:01:05` (GitLab's pipeline list duration), from seconds. */
/** A countdown as "29:41" (minutes:seconds), with hours in front only when an hour or more is left. */
export function countdownClock(seconds: number): string {
  return clockDuration(Math.max(0, seconds)).replace(/^00:/, "");
}

export function clockDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** `1 minute 5 seconds`, `42 seconds`, `2 hours 3 minutes` (the job sidebar's wording). */
export function humanDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.floor(seconds);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (s < 60) return unit(s, "second");
  if (s < 3600)
    return [unit(Math.floor(s / 60), "minute"), s % 60 ? unit(s % 60, "second") : ""].filter(Boolean).join(" ");
  const m = Math.floor((s % 3600) / 60);
  return [unit(Math.floor(s / 3600), "hour"), m ? unit(m, "minute") : ""].filter(Boolean).join(" ");
}

/** Seconds between two times, or until now when `to` is null (a running job); null when `from` is null. */
export function secondsBetween(from: Date | null, to: Date | null, now = Date.now()): number | null {
  if (!from) return null;
  return Math.max(0, ((to?.getTime() ?? now) - from.getTime()) / 1000);
}

/** `just now`, `5 minutes ago`, `3 days ago`. */
export function timeAgo(when: Date, now = Date.now()): string {
  const s = Math.round((now - when.getTime()) / 1000);
  if (s < 45) return "just now";
  const [size, word] =
    s < 3600
      ? [60, "minute"]
      : s < 86400
        ? [3600, "hour"]
        : s < 2592000
          ? [86400, "day"]
          : s < 31536000
            ? [2592000, "month"]
            : [31536000, "year"];
  const n = Math.max(1, Math.round(s / size));
  return `${n} ${word}${n === 1 ? "" : "s"} ago`;
}

/** `2024-05-01 13:45:10 UTC`: the exact time, for tooltips. */
export function exactTime(when: Date): string {
  return `${when.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export const shortSha = (sha: string): string => sha.slice(0, 8);

/** `12.3 MiB`, `512 B`. */
export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
