// Finishing, canceling, retrying and playing jobs, with GitLab's rules for each.
import type { JobResult } from "../domain/coordinator.ts";
import type { Breakpoint } from "../domain/debug.ts";
import { badRequest, forbidden, notFound } from "../domain/errors.ts";
import { type FailureReason, isCancelable, isRetryable } from "../domain/status.ts";
import type { PlanJob } from "../pipeline/types.ts";
import type { JobRow } from "../store/rows.ts";
import { cancelPipelineOnJobFailure } from "./auto-cancel.ts";
import type { QueueContext } from "./context.ts";
import { recordCoverage } from "./coverage.ts";
import { cancelChildPipelines } from "./pipeline-actions.ts";
import { assertMayRunJobsOf } from "./ref-guard.ts";
import { advancePipeline, currentJobs, releaseStatus } from "./scheduler.ts";

export function getJob(q: QueueContext, jobId: number): JobRow {
  const job = q.repos.jobs.findById(jobId);
  if (!job) throw notFound("Job");
  return job;
}

function setJob(q: QueueContext, job: JobRow, update: Partial<JobRow>): JobRow {
  q.repos.jobs.update(job.id, update);
  const next = { ...job, ...update };
  q.events.jobChanged(next);
  return next;
}

function shouldRetry(job: JobRow, reason: FailureReason, exitCode: number | undefined): boolean {
  const retry = job.spec.retry;
  if (job.retryCount >= retry.max) return false;
  const reasonOk = retry.when.length === 0 || retry.when.includes("always") || retry.when.includes(reason);
  const codeOk = retry.exitCodes.length === 0 || (exitCode !== undefined && retry.exitCodes.includes(exitCode));
  return reasonOk && codeOk;
}

function allowedToFail(spec: PlanJob, exitCode: number | undefined): boolean {
  if (typeof spec.allowFailure === "boolean") return spec.allowFailure;
  return exitCode !== undefined && spec.allowFailure.exitCodes.includes(exitCode);
}

/**
 * A copy of `job` as a new try, `created` until the scheduler releases it; the old one becomes history (`retried`).
 * An earlier try's breakpoint is not copied.
 */
function cloneJob(q: QueueContext, job: JobRow, changes: Partial<JobRow>): JobRow {
  q.repos.jobs.update(job.id, { retried: true });
  const fresh = q.repos.jobs.insert({
    pipelineId: job.pipelineId,
    projectId: job.projectId,
    name: job.name,
    stage: job.stage,
    stageIdx: job.stageIdx,
    spec: withBreakpoint(job.spec, undefined),
    allowFailure: typeof job.spec.allowFailure === "boolean" ? job.spec.allowFailure : false,
    userId: job.userId,
    retryCount: job.retryCount,
    kind: job.kind,
    status: "created",
    ...changes,
  });
  q.events.jobChanged(fresh);
  return fresh;
}

/** Jobs skipped because of `job` become `created` again, so they run after its new try (GitLab does the same). */
function resetSkippedAfter(q: QueueContext, job: JobRow) {
  const later = currentJobs(q, job.pipelineId).filter(
    (j) =>
      j.status === "skipped" && (j.stageIdx > job.stageIdx || j.spec.needs?.some((n) => n.job === job.spec.baseName)),
  );
  q.repos.jobs.reopen(later.map((j) => j.id));
}

/** The runner's final word on a job. A job canceled meanwhile stays canceled; a deleted one is forgotten. */
export function finishJob(q: QueueContext, jobId: number, reported: JobResult): void {
  // The log's last bytes did not fit (a full disk): the job failed, whatever its script did.
  const lost = q.traces.finish(jobId);
  const result: JobResult =
    lost && reported.status !== "canceled" ? { status: "failed", failureReason: "runner_system_failure" } : reported;
  const job = q.repos.jobs.findById(jobId);
  if (!job) return;
  if (job.status !== "running") {
    if (job.tokenHash) setJob(q, job, { tokenHash: null });
    return;
  }
  const now = new Date();
  recordCoverage(q, jobId);
  if (result.status !== "failed") {
    setJob(q, job, { status: result.status, finishedAt: now, tokenHash: null });
  } else {
    const done = setJob(q, job, {
      status: "failed",
      failureReason: result.failureReason,
      exitCode: result.exitCode ?? null,
      allowFailure: allowedToFail(job.spec, result.exitCode),
      finishedAt: now,
      tokenHash: null,
    });
    if (shouldRetry(done, result.failureReason, result.exitCode))
      cloneJob(q, done, { retryCount: done.retryCount + 1 });
    else {
      const pipeline = q.repos.pipelines.findById(job.pipelineId);
      if (pipeline) cancelPipelineOnJobFailure(q, pipeline, done);
    }
  }
  advancePipeline(q, job.pipelineId);
}

export function cancelJob(q: QueueContext, jobId: number): JobRow {
  const job = getJob(q, jobId);
  if (!isCancelable(job.status)) return job;
  const canceled = setJob(q, job, { status: "canceled", finishedAt: new Date() });
  if (job.kind === "bridge") cancelChildPipelines(q, [job.id]);
  // A running job's runner still writes its after_script and closes the log; others have no log to wait for.
  if (job.status === "running") q.jobCanceled(jobId);
  else q.traces.finish(jobId);
  advancePipeline(q, job.pipelineId);
  return canceled;
}

export function retryJob(q: QueueContext, jobId: number, userId: number | null, breakpoint?: Breakpoint): JobRow {
  const job = getJob(q, jobId);
  if (job.retried || !isRetryable(job.status)) throw forbidden("Job is not retryable");
  assertMayRunJobsOf(q, job.pipelineId, userId);
  const fresh = cloneJob(q, job, { userId, retryCount: 0, spec: withBreakpoint(job.spec, breakpoint) });
  resetSkippedAfter(q, job);
  advancePipeline(q, job.pipelineId);
  return getJob(q, fresh.id);
}

/** The spec of a new try: with the breakpoint asked for, and never an earlier try's one. */
function withBreakpoint(spec: PlanJob, breakpoint: Breakpoint | undefined): PlanJob {
  const { breakpoint: _earlier, ...debug } = spec.debug ?? {};
  const next = breakpoint ? { ...debug, breakpoint } : debug;
  const { debug: _old, ...rest } = spec;
  return Object.keys(next).length > 0 ? { ...rest, debug: next } : rest;
}

/** Retries several jobs of one pipeline in one transaction, releasing what follows once at the end. */
export function retryJobs(q: QueueContext, pipelineId: number, retried: JobRow[], userId: number | null): void {
  assertMayRunJobsOf(q, pipelineId, userId);
  q.transaction(() => {
    for (const job of retried) {
      cloneJob(q, job, { userId, retryCount: 0 });
      resetSkippedAfter(q, job);
    }
  });
  advancePipeline(q, pipelineId);
}

export function playJob(
  q: QueueContext,
  jobId: number,
  userId: number | null,
  variables: { key: string; value: string }[] = [],
): JobRow {
  const job = getJob(q, jobId);
  if (job.status !== "manual" && job.status !== "scheduled") throw badRequest("Unplayable Job");
  assertMayRunJobsOf(q, job.pipelineId, userId);
  const spec = { ...job.spec, variables: [...job.spec.variables, ...variables.map((v) => ({ ...v, raw: false }))] };
  const played = setJob(q, job, {
    status: releaseStatus(job),
    queuedAt: new Date(),
    userId: userId ?? job.userId,
    spec,
  });
  advancePipeline(q, job.pipelineId);
  if (job.kind === "bridge") q.bridgeReleased(job.id);
  else q.jobsReleased();
  return played;
}

/** Delayed jobs whose time has come become pending. Returns the earliest time still ahead, if any. */
export function releaseDueJobs(q: QueueContext): number | null {
  const scheduled = q.repos.jobs.scheduled();
  const now = Date.now();
  let next: number | null = null;
  for (const job of scheduled) {
    const at = job.scheduledAt?.getTime() ?? now;
    if (at <= now) {
      setJob(q, job, { status: releaseStatus(job), queuedAt: new Date(now) });
      advancePipeline(q, job.pipelineId);
      q.jobsReleased();
    } else next = next === null ? at : Math.min(next, at);
  }
  return next;
}
