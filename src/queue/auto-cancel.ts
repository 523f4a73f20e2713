// GitLab's auto-cancel: a new pipeline on a ref cancels older ones (workflow:auto_cancel:on_new_commit), and a
// failing job can cancel the rest of its pipeline (on_job_failure: all).
import { isCancelable } from "../domain/status.ts";
import type { JobRow, PipelineRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { cancelPipeline } from "./pipeline-actions.ts";
import { currentJobs } from "./scheduler.ts";

/**
 * The pipeline's `open` jobs canceled at once (one UPDATE, nothing released in between): canceling them one by one ran
 * a scheduler pass over the whole pipeline after each, 2.3 s of the event loop for a 1000-job pipeline.
 */
function cancelAll(q: QueueContext, pipelineId: number, open: JobRow[]): void {
  if (open.length > 0)
    cancelPipeline(
      q,
      pipelineId,
      open.map((j) => j.id),
    );
}

/**
 * Run once `pipeline` was created. Each older live pipeline of the ref, by its own `on_new_commit`:
 * `conservative` cancels it whole while none of its non-interruptible jobs has started; `interruptible` cancels
 * only its interruptible jobs (running ones too); `none` leaves it. Pipelines of the same commit are left alone.
 */
export function autoCancelRedundantPipelines(q: QueueContext, pipeline: PipelineRow): void {
  for (const older of q.repos.pipelines.olderLiveOnRef(pipeline)) {
    const mode = older.autoCancel.onNewCommit;
    if (mode === "none") continue;
    const current = currentJobs(q, older.id);
    const open = current.filter((j) => isCancelable(j.status));
    if (mode === "interruptible") {
      cancelAll(
        q,
        older.id,
        open.filter((j) => j.spec.interruptible),
      );
      continue;
    }
    if (current.some((j) => j.startedAt !== null && !j.spec.interruptible)) continue;
    if (open.length > 0) cancelPipeline(q, older.id, undefined, current);
  }
}

/** After `failed` failed (not allowed to): with `on_job_failure: all`, the rest of its pipeline is canceled. */
export function cancelPipelineOnJobFailure(q: QueueContext, pipeline: PipelineRow, failed: JobRow): void {
  if (pipeline.autoCancel.onJobFailure !== "all" || failed.allowFailure) return;
  cancelAll(
    q,
    pipeline.id,
    currentJobs(q, pipeline.id).filter((j) => j.id !== failed.id && isCancelable(j.status)),
  );
}
