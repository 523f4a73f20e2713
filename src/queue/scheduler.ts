// Decides what each created job becomes (pending, manual, scheduled, skipped) from stages, needs and `when`,
// and keeps the pipeline's status in step with its jobs.
import { compositeStatus, isFinished, type JobStatus } from "../domain/status.ts";
import type { JobRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { PrerequisiteIndex } from "./prerequisites.ts";

function decide(job: JobRow, index: PrerequisiteIndex, now: number): Partial<JobRow> | null {
  const p = index.of(job);
  if (p.waiting) return null;
  const skip = { status: "skipped" as JobStatus, finishedAt: new Date(now) };
  const release = { status: "pending" as JobStatus, queuedAt: new Date(now) };
  switch (job.spec.when) {
    case "always":
      return release;
    case "on_failure":
      return p.failed ? release : skip;
    case "manual":
      return p.failed || p.needSkipped ? skip : { status: "manual" };
    case "delayed":
      return p.failed || p.needSkipped
        ? skip
        : { status: "scheduled", scheduledAt: new Date(now + (job.spec.startIn ?? 0) * 1000) };
    default:
      return p.failed || p.needSkipped ? skip : release;
  }
}

/** The pipeline's current jobs: the latest try of each (retried ones are history). */
export function currentJobs(q: QueueContext, pipelineId: number): JobRow[] {
  return q.repos.jobs.currentOfPipeline(pipelineId);
}

/** Releases whatever the pipeline's state allows and updates the pipeline's status. Idempotent. */
export function advancePipeline(q: QueueContext, pipelineId: number): void {
  const now = Date.now();
  const current = currentJobs(q, pipelineId);
  const index = new PrerequisiteIndex(current);
  const decided: { job: JobRow; update: Partial<JobRow> }[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const job of current) {
      if (job.status !== "created") continue;
      const update = decide(job, index, now);
      if (!update) continue;
      index.apply(job, update);
      decided.push({ job, update });
      changed = true;
    }
  }
  // A pipeline at the job limit releases a thousand jobs at once: one transaction, one statement per distinct change.
  const byChange = new Map<string, { update: Partial<JobRow>; ids: number[] }>();
  for (const { job, update } of decided) {
    const key = JSON.stringify(update);
    const group = byChange.get(key) ?? byChange.set(key, { update, ids: [] }).get(key)!;
    group.ids.push(job.id);
  }
  if (byChange.size > 0)
    q.transaction((tx) => {
      for (const { update, ids } of byChange.values()) tx.jobs.updateMany(ids, update);
    });
  let released = false;
  for (const { job, update } of decided) {
    q.events.jobChanged(job);
    if (update.status === "pending") released = true;
    if (update.scheduledAt) q.scheduleWakeup(update.scheduledAt.getTime());
  }
  refreshPipelineStatus(q, pipelineId, current);
  if (released) q.jobsReleased();
}

/** Recomputes the pipeline's status (and its start and finish times) from its current jobs. */
export function refreshPipelineStatus(q: QueueContext, pipelineId: number, current = currentJobs(q, pipelineId)) {
  const pipeline = q.repos.pipelines.findById(pipelineId);
  if (!pipeline) return;
  const status = compositeStatus(current);
  const started = current.map((j) => j.startedAt?.getTime()).filter((t): t is number => t !== undefined);
  const finishedAt = isFinished(status)
    ? new Date(Math.max(Date.now(), ...current.map((j) => j.finishedAt?.getTime() ?? 0)))
    : null;
  const startedAt = started.length ? new Date(Math.min(...started)) : null;
  if (
    status === pipeline.status &&
    startedAt?.getTime() === pipeline.startedAt?.getTime() &&
    Boolean(finishedAt) === Boolean(pipeline.finishedAt)
  )
    return;
  const update = { status, startedAt, finishedAt, updatedAt: new Date() };
  q.repos.pipelines.update(pipelineId, update);
  q.events.pipelineChanged({ ...pipeline, ...update });
}
