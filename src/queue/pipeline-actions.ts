// Pipeline-wide actions: cancel, retry and delete.
import { notFound } from "../domain/errors.ts";
import { isCancelable } from "../domain/status.ts";
import type { PipelineRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { cancelJob, retryJob } from "./job-actions.ts";
import { currentJobs } from "./scheduler.ts";

export function getPipeline(q: QueueContext, pipelineId: number): PipelineRow {
  const pipeline = q.repos.pipelines.findById(pipelineId);
  if (!pipeline) throw notFound("Pipeline");
  return pipeline;
}

export function cancelPipeline(q: QueueContext, pipelineId: number): PipelineRow {
  getPipeline(q, pipelineId);
  // Later jobs first, so that canceling an early job does not release (then cancel) later ones.
  const open = currentJobs(q, pipelineId)
    .filter((j) => isCancelable(j.status))
    .sort((a, b) => b.stageIdx - a.stageIdx);
  for (const job of open) cancelJob(q, job.id);
  return getPipeline(q, pipelineId);
}

export function retryPipeline(q: QueueContext, pipelineId: number, userId: number | null): PipelineRow {
  getPipeline(q, pipelineId);
  const failed = currentJobs(q, pipelineId)
    .filter((j) => j.status === "failed" || j.status === "canceled")
    .sort((a, b) => a.stageIdx - b.stageIdx);
  for (const job of failed) retryJob(q, job.id, userId);
  return getPipeline(q, pipelineId);
}

export function deletePipeline(q: QueueContext, pipelineId: number): void {
  cancelPipeline(q, pipelineId);
  q.repos.pipelines.delete(pipelineId);
}
