// What a pipeline schedule must hold: a description, a ref, a five-field cron and a known timezone.
import { cronProblem } from "../../domain/cron.ts";
import { invalid } from "../../domain/errors.ts";
import type { ScheduleFields } from "../../store/pipeline-schedules.ts";

/** Throws 400 naming each bad field (GitLab's wording: `cron is invalid syntax`). */
export function checkSchedule(s: ScheduleFields): void {
  const fields: Record<string, string[]> = {};
  if (!s.description.trim()) fields.description = ["can't be blank"];
  if (!s.ref.trim() || s.ref.length > 255) fields.ref = ["can't be blank"];
  const problem = cronProblem(s.cron, s.cronTimezone);
  if (problem) fields[problem.field] = [problem.message];
  if (Object.keys(fields).length > 0) throw invalid(fields);
}
