// Formats whole seconds the way Go's time.Duration prints them (GitLab Runner's log says "30m0s").

/** 1800 → "30m0s", 5 → "5s", 3600 → "1h0m0s", 0 → "0s". */
export function goDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
