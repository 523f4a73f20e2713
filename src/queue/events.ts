// In-process change notifications for jobs and pipelines (live pages, SSE, terminal state).
import type { Logger } from "../logger.ts";
import type { JobRow, PipelineRow } from "../store/rows.ts";
import type { QueueEvents } from "./types.ts";

export interface QueueEventBus extends QueueEvents {
  jobChanged(job: JobRow): void;
  pipelineChanged(pipeline: PipelineRow): void;
}

export function createQueueEvents(logger: Logger): QueueEventBus {
  const jobListeners = new Set<(job: JobRow) => void>();
  const pipelineListeners = new Set<(p: PipelineRow) => void>();
  const emit = <T>(listeners: Set<(v: T) => void>, value: T) => {
    for (const l of listeners) {
      try {
        l(value);
      } catch (err) {
        logger.error("a queue event listener failed", { error: err });
      }
    }
  };
  return {
    onJob(listener) {
      jobListeners.add(listener);
      return () => jobListeners.delete(listener);
    },
    onPipeline(listener) {
      pipelineListeners.add(listener);
      return () => pipelineListeners.delete(listener);
    },
    jobChanged: (job) => emit(jobListeners, job),
    pipelineChanged: (p) => emit(pipelineListeners, p),
  };
}
