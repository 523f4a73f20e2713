// Pipeline-wide actions: cancel, retry and delete.
import { notFound } from "../domain/errors.ts";
import type { JobRow, PipelineRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { retryJobs } from "./job-actions.ts";
import { advancePipeline, currentJobs, refreshPipelineStatus } from "./scheduler.ts";

export function getPipeline(q: QueueContext, pipelineId: number): PipelineRow {
  const pipeline = q.repos.pipelines.findById(pipelineId);
  if (!pipeline) throw notFound("Pipeline");
  return pipeline;
}

/**
 * Cancels every open job (or those of `only` that are open) in one UPDATE (nothing is released in between), then
 * tells runners and pages; after a partial cancel, releases what it let go (`when: always` or `on_failure` jobs).
 * `current`: the pipeline's current jobs as read in this same turn, so that a whole cancel need not read them again.
 */
export function cancelPipeline(
  q: QueueContext,
  pipelineId: number,
  only?: readonly number[],
  current?: readonly JobRow[],
): PipelineRow {
  getPipeline(q, pipelineId);
  const { jobs, wereRunning } = q.repos.jobs.cancelOpenOfPipeline(pipelineId, new Date(), only);
  const running = new Set(wereRunning);
  for (const job of jobs) {
    // A running job's runner still writes its after_script and closes the log; others have no log to wait for.
    if (running.has(job.id)) q.jobCanceled(job.id);
    else q.traces.finish(job.id);
    q.events.jobChanged(job);
  }
  cancelChildPipelines(
    q,
    jobs.filter((j) => j.kind === "bridge").map((j) => j.id),
  );
  if (only) advancePipeline(q, pipelineId);
  else if (current) {
    const canceled = new Map(jobs.map((j) => [j.id, j]));
    refreshPipelineStatus(
      q,
      pipelineId,
      current.map((j) => canceled.get(j.id) ?? j),
    );
  } else refreshPipelineStatus(q, pipelineId);
  return getPipeline(q, pipelineId);
}

/** GitLab cascades a cancel to child pipelines (not to other projects' pipelines): those these bridges created. */
export function cancelChildPipelines(q: QueueContext, bridgeIds: number[]): void {
  for (const child of q.repos.pipelines.downstreamOf(bridgeIds))
    if (child.source === "parent_pipeline") cancelPipeline(q, child.id);
}

export function retryPipeline(q: QueueContext, pipelineId: number, userId: number | null): PipelineRow {
  getPipeline(q, pipelineId);
  const failed = currentJobs(q, pipelineId)
    .filter((j) => j.status === "failed" || j.status === "canceled")
    .sort((a, b) => a.stageIdx - b.stageIdx);
  retryJobs(q, pipelineId, failed, userId);
  return getPipeline(q, pipelineId);
}

/** Cancels what still runs, then deletes the pipeline with its jobs and logs in one transaction. */
export function deletePipeline(q: QueueContext, pipelineId: number): void {
  cancelPipeline(q, pipelineId);
  q.artifacts.removePipeline(pipelineId);
  q.repos.pipelines.delete(pipelineId);
}
