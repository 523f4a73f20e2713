// GitLab's auto-cancel: a new pipeline on a ref cancels older ones (workflow:auto_cancel:on_new_commit), and a
// failing job can cancel the rest of its pipeline (on_job_failure: all).
import { isCancelable } from "../domain/status.ts";
import type { JobRow, PipelineRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { cancelJob } from "./job-actions.ts";
import { currentJobs } from "./scheduler.ts";

/** Later stages first, so that canceling an early job does not release (then cancel) later ones. */
function cancelAll(q: QueueContext, open: JobRow[]): void {
  for (const job of open.sort((a, b) => b.stageIdx - a.stageIdx)) cancelJob(q, job.id);
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
    const open = currentJobs(q, older.id).filter((j) => isCancelable(j.status));
    if (mode === "interruptible") {
      cancelAll(
        q,
        open.filter((j) => j.spec.interruptible),
      );
      continue;
    }
    const started = currentJobs(q, older.id).filter((j) => j.startedAt !== null);
    if (started.some((j) => !j.spec.interruptible)) continue;
    cancelAll(q, open);
  }
}

/** After `failed` failed (not allowed to): with `on_job_failure: all`, the rest of its pipeline is canceled. */
export function cancelPipelineOnJobFailure(q: QueueContext, pipeline: PipelineRow, failed: JobRow): void {
  if (pipeline.autoCancel.onJobFailure !== "all" || failed.allowFailure) return;
  cancelAll(
    q,
    currentJobs(q, pipeline.id).filter((j) => j.id !== failed.id && isCancelable(j.status)),
  );
}
