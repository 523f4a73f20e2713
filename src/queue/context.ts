// What the queue's modules share: the database, the trace store, event bus and wake-ups.
import type { TraceStore } from "../logs/trace-store.ts";
import type { Db } from "../store/db.ts";
import type { QueueEventBus } from "./events.ts";

export interface QueueContext {
  db: Db;
  traces: TraceStore;
  events: QueueEventBus;
  externalUrl: string;
  /** Where project repositories live (mirrors of import_url, and the repositories `git push` to porthole fills). */
  reposDir: string;
  /** Job timeout (seconds) when the job sets none. */
  defaultTimeoutSeconds: number;
  /** Jobs one pipeline may hold (`limits.max_jobs_per_pipeline`). */
  maxJobsPerPipeline: number;
  /** Called whenever jobs became pending, so waiting runners look again. */
  jobsReleased(): void;
  /** Called when a running job is canceled, so its runner stops it. */
  jobCanceled(jobId: number): void;
  /** Called with the time a delayed job is due. */
  scheduleWakeup(at: number): void;
}
