// Runs pipeline schedules: a timer at the soonest next_run_at (by an injectable clock), each due schedule once, as
// its owner, whose access is checked at run time; every run and every refusal is audited.
import type { Actor } from "../auth/actor.ts";
import { audit } from "../auth/audit.ts";
import { accessLevel, can } from "../auth/permissions.ts";
import { findUserById } from "../auth/users.ts";
import { nextRunAt } from "../domain/cron.ts";
import { forbidden, notFound } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import type { PipelineRow, PipelineScheduleRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { getProject } from "./create-pipeline.ts";
import type { CreatePipelineInput } from "./types.ts";

/** The timer looks again at least this often, so schedules edited by another process are picked up. */
const MAX_SLEEP_MS = 60_000;

export interface ScheduleRunner {
  /** After schedules changed (their next run cleared): computes the missing next runs and re-arms the timer. */
  wake(): void;
  /** Runs the schedule now as `userId` (the Schedules page's and the API's "play"). */
  play(scheduleId: number, userId: number): Promise<PipelineRow>;
  stop(): void;
}

export function createScheduleRunner(
  q: QueueContext,
  create: (input: CreatePipelineInput) => Promise<PipelineRow>,
  now: () => number,
  logger: Logger,
): ScheduleRunner {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  /** Why `userId` may not run the schedule now, or null. */
  function refusal(schedule: PipelineScheduleRow, userId: number | null): string | null {
    const user = userId === null ? null : findUserById(q.db, userId);
    if (!user) return "the schedule has no owner";
    if (user.state !== "active") return `the owner ${user.username} is blocked`;
    const project = getProject(q, schedule.projectId);
    const actor: Actor = { user, via: "trigger", scopes: ["api"] };
    if (!can(actor, "create_pipeline", { project, level: accessLevel(q.db, user, project) }))
      return `the owner ${user.username} may no longer run pipelines in this project`;
    return null;
  }

  async function run(schedule: PipelineScheduleRow, userId: number | null, how: "cron" | "play"): Promise<PipelineRow> {
    const base = { projectId: schedule.projectId, targetType: "PipelineSchedule", targetId: schedule.id };
    const owner = userId === null ? null : findUserById(q.db, userId);
    const actor = owner ? { user: owner } : null;
    const problem = refusal(schedule, userId);
    try {
      if (problem) throw forbidden(problem);
      const pipeline = await create({
        projectId: schedule.projectId,
        ref: schedule.ref,
        source: "schedule",
        userId,
        variables: q.repos.pipelineSchedules.variablesOf(schedule.id).map((v) => ({ key: v.key, value: v.value })),
        scheduleId: schedule.id,
      });
      q.repos.pipelineSchedules.update(schedule.id, { lastPipelineId: pipeline.id });
      audit(q.db, { ...base, actor, action: "pipeline_schedule_run", details: { how, pipeline: pipeline.id } });
      return pipeline;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      audit(q.db, { ...base, actor, action: "pipeline_schedule_failed", details: { how, error: message } });
      throw error;
    }
  }

  async function runDue() {
    const at = new Date(now());
    for (const schedule of q.repos.pipelineSchedules.due(at)) {
      // The next run is set before this one starts: a slow or failing run never runs twice.
      q.repos.pipelineSchedules.update(schedule.id, { nextRunAt: nextRunAt(schedule.cron, schedule.cronTimezone, at) });
      await run(schedule, schedule.ownerId, "cron").catch(() => undefined);
    }
  }

  function arm() {
    if (stopped) return;
    const at = new Date(now());
    for (const schedule of q.repos.pipelineSchedules.withoutNextRun())
      q.repos.pipelineSchedules.update(schedule.id, { nextRunAt: nextRunAt(schedule.cron, schedule.cronTimezone, at) });
    if (timer) clearTimeout(timer);
    const soonest = q.repos.pipelineSchedules.soonestRun();
    const delay = soonest === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(0, soonest.getTime() - now()));
    timer = setTimeout(() => {
      timer = null;
      runDue()
        .catch((error) => logger.error("running due pipeline schedules failed", { error }))
        .finally(arm);
    }, delay);
    timer.unref?.();
  }

  arm();
  return {
    wake: arm,
    async play(scheduleId, userId) {
      const schedule = q.repos.pipelineSchedules.findById(scheduleId);
      if (!schedule) throw notFound("Pipeline Schedule");
      return run(schedule, userId, "play");
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
