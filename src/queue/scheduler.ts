// Decides what each created job becomes (pending, manual, scheduled, skipped) from stages, needs and `when`,
// and keeps the pipeline's status in step with its jobs.
import { compositeStatus, isFinished, type JobStatus } from "../domain/status.ts";
import type { JobRow } from "../store/rows.ts";
import { followDownstream } from "./bridge-status.ts";
import type { QueueContext } from "./context.ts";

type Prereqs = { waiting: boolean; failed: boolean; needSkipped: boolean };

/** What deciding a job reads of it: a stored job, or one about to be stored with a new pipeline. */
export type Decidable = Pick<JobRow, "spec" | "stageIdx" | "status" | "allowFailure">;
/** A job's decided change, already applied to it. */
export interface Decision<J extends Decidable = JobRow> {
  job: J;
  update: Partial<JobRow>;
}

/** Jobs that have not settled yet, for the purpose of releasing the jobs after them. */
function unsettled(job: Decidable, viaNeeds: boolean): boolean {
  if (job.status === "manual") return viaNeeds || !job.allowFailure;
  return (
    job.status === "created" ||
    job.status === "pending" ||
    job.status === "running" ||
    job.status === "scheduled" ||
    job.status === "waiting_for_resource"
  );
}

/** The status a job gets when stages, needs or a person release it: it waits first when it names a resource group. */
export function releaseStatus(job: Pick<JobRow, "spec">): "pending" | "waiting_for_resource" {
  return job.spec.resourceGroup ? "waiting_for_resource" : "pending";
}

const failedHard = (j: Decidable) => (j.status === "failed" && !j.allowFailure) || j.status === "canceled";

/**
 * What the pipeline's current jobs are waiting for, as they are at the start of a pass: per stage (over all jobs of
 * the stages before it) and per job name (for `needs`). Building it is linear, so a pass over a pipeline at the job
 * limit is too (filtering every job's predecessors from the whole list was quadratic: ~1M steps per pass).
 */
function prerequisiteIndex(current: readonly Decidable[]): (job: Decidable) => Prereqs {
  const stageFlags = new Map<number, { waiting: boolean; failed: boolean }>();
  const byName = new Map<string, Decidable[]>();
  for (const j of current) {
    const flags =
      stageFlags.get(j.stageIdx) ?? stageFlags.set(j.stageIdx, { waiting: false, failed: false }).get(j.stageIdx)!;
    flags.waiting ||= unsettled(j, false);
    flags.failed ||= failedHard(j);
    const named = byName.get(j.spec.baseName) ?? byName.set(j.spec.baseName, []).get(j.spec.baseName)!;
    named.push(j);
  }
  // Flags of every stage strictly before each stage index, in stage order.
  const before = new Map<number, { waiting: boolean; failed: boolean }>();
  let sofar = { waiting: false, failed: false };
  for (const idx of [...stageFlags.keys()].sort((a, b) => a - b)) {
    before.set(idx, sofar);
    const own = stageFlags.get(idx)!;
    sofar = { waiting: sofar.waiting || own.waiting, failed: sofar.failed || own.failed };
  }
  return (job) => {
    const needs = job.spec.needs;
    if (!needs) return { ...(before.get(job.stageIdx) ?? sofar), needSkipped: false };
    const needed = needs.flatMap((n) => byName.get(n.job) ?? []);
    return {
      waiting: needed.some((j) => unsettled(j, true)),
      failed: needed.some(failedHard),
      needSkipped: needed.some((j) => j.status === "skipped"),
    };
  };
}

function decide(job: Decidable, p: Prereqs, now: number): Partial<JobRow> | null {
  if (p.waiting) return null;
  const skip = { status: "skipped" as JobStatus, finishedAt: new Date(now) };
  const release = { status: releaseStatus(job) as JobStatus, queuedAt: new Date(now) };
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

/**
 * Decides what the jobs' state allows, applying each change to its job: each pass decides from the statuses at its
 * start (a job whose predecessor changed in the same pass waits for the next pass, and decides the same way then),
 * until a pass changes nothing. Gives the changes in the order made.
 */
export function decideJobs<J extends Decidable>(current: readonly J[], now: number): Decision<J>[] {
  const decided: Decision<J>[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    const prerequisites = prerequisiteIndex(current);
    for (const job of current) {
      if (job.status !== "created") continue;
      const update = decide(job, prerequisites(job), now);
      if (!update) continue;
      Object.assign(job, update);
      decided.push({ job, update });
      changed = true;
    }
  }
  return decided;
}

/** Releases whatever the pipeline's state allows and updates the pipeline's status. Idempotent. */
export function advancePipeline(q: QueueContext, pipelineId: number): void {
  const current = currentJobs(q, pipelineId);
  const decided = decideJobs(current, Date.now());
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
  announceDecisions(q, pipelineId, decided, current);
}

/**
 * After the decided changes are stored: tells the listeners about each job, wakes the runners or the bridges it
 * released and the timer of a delayed one, and refreshes the pipeline's status from its `current` jobs.
 */
export function announceDecisions(q: QueueContext, pipelineId: number, decided: Decision[], current: JobRow[]): void {
  let released = false;
  for (const { job, update } of decided) {
    q.events.jobChanged(job);
    if (update.status === "pending" && job.kind === "bridge") q.bridgeReleased(job.id);
    else if (update.status === "pending") released = true;
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
  followDownstream(q, { ...pipeline, ...update });
}
