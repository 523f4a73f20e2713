// Jobs on remote runners: handed out through the same queue and coordinator as the embedded runner's, each under a
// lease the runner renews with its trace and update calls; a lease that runs out fails the job (runner_system_failure).
import type { Coordinator, JobPayload, JobResult } from "../domain/coordinator.ts";
import type { Logger } from "../logger.ts";
import type { JobSession } from "../store/job-leases.ts";
import type { JobRow, RunnerRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import type { JobQueue } from "./job-queue.ts";
import { refreshPipelineStatus } from "./scheduler.ts";

export interface RemoteJobOptions {
  /** How long jobs/request waits for a job before answering 204. */
  longPollMs: number;
  /** How long a runner may stay silent about a running job before the job fails. */
  leaseMs: number;
  /** How often expired leases are looked for. */
  sweepMs?: number;
}

/** Seconds between a runner's calls about a running job while someone follows its log, and while nobody does. */
export const UPDATE_INTERVAL_WATCHED_S = 3;
export const UPDATE_INTERVAL_UNWATCHED_S = 10;

/** `canceling`: canceled on the server, the runner should stop gracefully (after_script runs) and report. */
export type RunnerJobStatus = JobRow["status"] | "canceling";

export interface RemoteJobs {
  /** The next job for the runner (long-polled), leased to it; null when none came or `signal` aborted. */
  request(
    runner: RunnerRow,
    opts: { session: JobSession | null; twoPhase: boolean; signal: AbortSignal },
  ): Promise<{ job: JobRow; payload: JobPayload } | null>;
  /** A runner was resumed: its held request may take a job now. */
  runnersChanged(): void;
  /** Changes whenever jobs became pending: gitlab-runner's `X-GitLab-Last-Update`. */
  lastUpdate(): string;
  /** What the runner is told about the job in `Job-Status`. */
  statusFor(job: JobRow): RunnerJobStatus;
  /** Whether the runner still holds the job: running, or canceled and not yet reported back. */
  holds(job: JobRow): boolean;
  /**
   * Seconds the runner should wait between calls about a running job (`X-GitLab-Trace-Update-Interval`): shorter
   * while someone watches, and never more than a third of the lease, so that a live runner renews it in time.
   */
  updateIntervalSeconds(watched: boolean): number;
  /** The runner's sign of life for the job (trace or update call); `confirm` is two-phase commit's `running`. */
  renew(job: JobRow, confirm: boolean): void;
  /**
   * Appends at `offset` when it is the log's length, committed before this resolves; otherwise answers the length
   * the runner must resume from.
   */
  appendTrace(job: JobRow, offset: number, bytes: Uint8Array): Promise<{ appended: boolean; size: number }>;
  /** The runner's final word; the job ends as the embedded runner's jobs do. */
  finish(job: JobRow, result: JobResult): Promise<void>;
  /** Fails (or requeues, when never confirmed) every job whose lease ran out; returns their ids. */
  sweep(now?: Date): number[];
  start(): void;
  stop(): void;
}

const enc = new TextEncoder();

export function createRemoteJobs(
  q: QueueContext,
  queue: JobQueue,
  coordinator: Coordinator,
  opts: RemoteJobOptions,
  logger: Logger,
): RemoteJobs {
  const leases = q.repos.jobLeases;
  let generation = Date.now();
  const unsubscribe = q.events.onJob((job) => {
    if (job.status === "pending") generation++;
  });
  let timer: ReturnType<typeof setInterval> | null = null;
  const leaseEnd = () => new Date(Date.now() + opts.leaseMs);

  function sweep(now = new Date()): number[] {
    const expired = leases.expired(now);
    for (const job of expired) {
      if (job.status === "running" && job.awaitingRunnerAck) {
        const requeued = leases.requeueUnconfirmed(job.id);
        if (!requeued) continue;
        q.events.jobChanged(requeued);
        refreshPipelineStatus(q, job.pipelineId);
        logger.warn("a runner never confirmed a job; it is queued again", { job: job.id, runner: job.runnerId });
        q.jobsReleased();
        continue;
      }
      const seconds = Math.round(opts.leaseMs / 1000);
      logger.warn("a runner stopped responding; its job fails", { job: job.id, runner: job.runnerId });
      if (job.status === "running")
        q.traces.append(
          job.id,
          enc.encode(
            `\n\x1b[31;1mERROR: Job failed (system failure): The runner stopped responding: no update for ${seconds} s\x1b[0;m\n`,
          ),
        );
      leases.end(job.id);
      q.traces.finish(job.id);
      void coordinator.finishJob(job.id, { status: "failed", failureReason: "runner_system_failure" });
    }
    return expired.map((j) => j.id);
  }

  return {
    async request(runner, { session, twoPhase, signal }) {
      const info = { id: runner.id, name: runner.description, tags: runner.tags, runUntagged: runner.runUntagged };
      const payload = await queue.request(info, signal, opts.longPollMs);
      if (!payload) return null;
      leases.start(payload.id, leaseEnd(), session, twoPhase);
      const job = q.repos.jobs.findById(payload.id);
      if (!job) return null;
      return { job, payload };
    },
    runnersChanged: () => q.jobsReleased(),
    lastUpdate: () => String(generation),
    statusFor(job) {
      if (job.status === "canceled" && job.tokenHash) return "canceling";
      return job.status;
    },
    updateIntervalSeconds(watched) {
      const base = watched ? UPDATE_INTERVAL_WATCHED_S : UPDATE_INTERVAL_UNWATCHED_S;
      return Math.max(1, Math.min(base, Math.floor(opts.leaseMs / 3000)));
    },
    holds: (job) => job.tokenHash !== null && (job.status === "running" || job.status === "canceled"),
    renew(job, confirm) {
      leases.renew(job.id, leaseEnd(), confirm);
    },
    async appendTrace(job, offset, bytes) {
      const size = q.traces.size(job.id);
      if (offset !== size) return { appended: false, size };
      await coordinator.appendTrace(job.id, offset, bytes);
      q.traces.flush(); // the runner drops what it was told is stored: it must be, even if the server crashes next
      return { appended: true, size: q.traces.size(job.id) };
    },
    async finish(job, result) {
      leases.end(job.id);
      await coordinator.finishJob(job.id, result);
    },
    sweep,
    start() {
      if (timer) return;
      leases.extendAll(leaseEnd()); // the server was down: its runners' silence was not theirs
      timer = setInterval(() => {
        try {
          sweep();
        } catch (err) {
          logger.error("the lease sweep failed", { error: err });
        }
      }, opts.sweepMs ?? 1000);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribe();
    },
  };
}
