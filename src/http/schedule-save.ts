// Making and editing a pipeline schedule (API and Schedules page alike): checks the fields, stores them, lets the
// schedule timer compute the next run, audits the change.
import type { Actor } from "../auth/actor.ts";
import { audit } from "../auth/audit.ts";
import { cronProblem } from "../domain/cron.ts";
import { invalid } from "../domain/errors.ts";
import type { ScheduleFields } from "../store/pipeline-schedules.ts";
import type { PipelineScheduleRow } from "../store/rows.ts";
import type { AppDeps } from "./env.ts";

/** Throws 400 naming each bad field (GitLab's wording: `cron is invalid syntax`). */
function checkSchedule(s: ScheduleFields): void {
  const fields: Record<string, string[]> = {};
  if (!s.description.trim()) fields.description = ["can't be blank"];
  if (!s.ref.trim() || s.ref.length > 255) fields.ref = ["can't be blank"];
  const problem = cronProblem(s.cron, s.cronTimezone);
  if (problem) fields[problem.field] = [problem.message];
  if (Object.keys(fields).length > 0) throw invalid(fields);
}

export function saveSchedule(
  deps: AppDeps,
  input: {
    actor: Actor;
    projectId: number;
    schedule: PipelineScheduleRow | null;
    change: Partial<ScheduleFields>;
    ip?: string | null;
  },
): PipelineScheduleRow {
  const db = deps.store.db;
  const { schedule, change } = input;
  const merged: ScheduleFields = {
    description: change.description ?? schedule?.description ?? "",
    ref: change.ref ?? schedule?.ref ?? "",
    cron: change.cron ?? schedule?.cron ?? "",
    cronTimezone: change.cronTimezone ?? schedule?.cronTimezone ?? "UTC",
    active: change.active ?? schedule?.active ?? true,
  };
  checkSchedule(merged);
  // The schedule timer computes the next run by its clock.
  const stored = schedule
    ? deps.store.repos.pipelineSchedules.update(schedule.id, { ...merged, nextRunAt: null })
    : deps.store.repos.pipelineSchedules.insert({
        ...merged,
        projectId: input.projectId,
        ownerId: input.actor.user.id,
        nextRunAt: null,
      });
  deps.pipelines.schedulesChanged();
  const row = deps.store.repos.pipelineSchedules.findInProject(input.projectId, stored.id)!;
  audit(db, {
    action: schedule ? "pipeline_schedule_updated" : "pipeline_schedule_created",
    actor: input.actor,
    projectId: input.projectId,
    targetType: "PipelineSchedule",
    targetId: row.id,
    details: { ref: row.ref, cron: row.cron, cron_timezone: row.cronTimezone, active: row.active },
    ip: input.ip ?? null,
  });
  return row;
}
