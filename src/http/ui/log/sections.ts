// GitLab's collapsible-section markers in job logs (`section_start:<unix>:<name>[opts]\r\e[0K`) and their durations.

/**
 * GitLab's own regex (`lib/gitlab/regex.rb`, build trace section): kind, unix time, name, options like
 * `[collapsed=true]`. Global: reset `lastIndex` before `exec` loops.
 */
export const SECTION_MARKER =
  /section_((?:start)|(?:end)):(\d+):([a-zA-Z0-9_.-]+)(\[(?:\w+=\w+)(?:, ?(?:\w+=\w+))*\])?\r\x1b\[0K/g;

const pad = (n: number) => String(n).padStart(2, "0");

/** `mm:ss`, or `h:mm:ss` from an hour on, as GitLab shows section durations; negative times show `00:00`. */
export function formatSectionDuration(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
