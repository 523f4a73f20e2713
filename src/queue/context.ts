// What the queue's modules share: the repositories, the trace store, event bus and wake-ups.
import type { TraceStore } from "../logs/trace-store.ts";
import type { ArtifactStore } from "../store/artifacts.ts";
import type { Db } from "../store/db.ts";
import type { Repositories } from "../store/repositories.ts";
import type { QueueEventBus } from "./events.ts";
import type { RemoteIncludeOptions } from "./remote-includes.ts";

export interface QueueContext {
  repos: Repositories;
  /** For auth's decisions (who may run on a protected ref); queries go through `repos`. */
  db: Db;
  /** Runs `work` in one database transaction, with repositories bound to it. */
  transaction<T>(work: (repos: Repositories) => T): T;
  traces: TraceStore;
  artifacts: ArtifactStore;
  events: QueueEventBus;
  externalUrl: string;
  /** Where project repositories live (mirrors of import_url, and the repositories `git push` to porthole fills). */
  reposDir: string;
  /** Job timeout (seconds) when the job sets none. */
  defaultTimeoutSeconds: number;
  /** Jobs one pipeline may hold (`limits.max_jobs_per_pipeline`). */
  maxJobsPerPipeline: number;
  /** Called when a bridge became pending: it creates its downstream pipeline (asynchronously). */
  bridgeReleased(jobId: number): void;
  /** How `include:remote` files are fetched (HTTPS from public addresses only when absent). */
  remoteIncludes?: RemoteIncludeOptions;
  /** Called whenever jobs became pending, so waiting runners look again. */
  jobsReleased(): void;
  /** Called when a running job is canceled, so its runner stops it. */
  jobCanceled(jobId: number): void;
  /** Called with the time a delayed job is due. */
  scheduleWakeup(at: number): void;
}
