// Pipeline schedule times: GitLab's five-field cron in an IANA timezone (croner computes the next time).
import { Cron } from "croner";

/** Why `cron` in `timezone` cannot be a schedule, or null. */
export function cronProblem(
  cron: string,
  timezone: string,
): { field: "cron" | "cron_timezone"; message: string } | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    return { field: "cron_timezone", message: "is invalid syntax" };
  }
  if (cron.trim().split(/\s+/).length !== 5) return { field: "cron", message: "is invalid syntax" };
  try {
    new Cron(cron, { timezone, paused: true });
  } catch {
    return { field: "cron", message: "is invalid syntax" };
  }
  return null;
}

/** The first time after `after` that `cron` names in `timezone`; null when it names none. */
export function nextRunAt(cron: string, timezone: string, after: Date): Date | null {
  return new Cron(cron, { timezone, paused: true }).nextRun(after);
}
