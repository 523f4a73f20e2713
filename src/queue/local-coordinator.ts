// The in-process coordinator: the embedded runner's direct line to the queue (remote runners use HTTP).
import type { Coordinator } from "../domain/coordinator.ts";
import type { QueueContext } from "./context.ts";
import { finishJob } from "./job-actions.ts";
import { dependencyArchive, storeUpload } from "./job-artifacts.ts";
import type { JobQueue } from "./job-queue.ts";

/** How long a runner's request waits for a job before it comes back empty. */
const LONG_POLL_MS = 30_000;

export interface CancelWatchers {
  watch(jobId: number, onCancel: () => void): () => void;
  fire(jobId: number): void;
}

export function createCancelWatchers(): CancelWatchers {
  const watchers = new Map<number, Set<() => void>>();
  return {
    watch(jobId, onCancel) {
      let set = watchers.get(jobId);
      if (!set) {
        set = new Set();
        watchers.set(jobId, set);
      }
      set.add(onCancel);
      return () => {
        set.delete(onCancel);
        if (set.size === 0) watchers.delete(jobId);
      };
    },
    fire(jobId) {
      const set = watchers.get(jobId);
      watchers.delete(jobId);
      for (const cb of set ?? []) cb();
    },
  };
}

export function createLocalCoordinator(q: QueueContext, queue: JobQueue, cancels: CancelWatchers): Coordinator {
  return {
    requestJob: (runner, signal) => queue.request(runner, signal, LONG_POLL_MS),
    async appendTrace(jobId, offset, bytes) {
      if (!q.repos.jobs.exists(jobId)) return; // deleted with its pipeline or project while running
      const size = q.traces.size(jobId);
      if (offset !== size) throw new Error(`trace of job ${jobId}: append at ${offset}, but the log has ${size} bytes`);
      q.traces.append(jobId, bytes);
    },
    async finishJob(jobId, result) {
      finishJob(q, jobId, result);
    },
    async uploadArtifacts(jobId, upload) {
      storeUpload(q, jobId, upload);
    },
    async downloadArtifacts(jobId, dependencyId) {
      return dependencyArchive(q, jobId, dependencyId);
    },
    watchCancel: (jobId, onCancel) => cancels.watch(jobId, onCancel),
  };
}
