// Hands pending jobs to runners: oldest first, matching tags, with long-polling waiters.
import { hashToken, newToken } from "../auth/secrets.ts";
import type { JobPayload, RunnerInfo } from "../domain/coordinator.ts";
import type { JobRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { buildPayload } from "./payload.ts";
import { refreshPipelineStatus } from "./scheduler.ts";

interface Waiter {
  runner: RunnerInfo;
  resolve(payload: JobPayload | null): void;
}

export interface JobQueue {
  /** The next job for the runner, waiting up to `waitMs`; null when none came or `signal` aborted. */
  request(runner: RunnerInfo, signal: AbortSignal, waitMs: number): Promise<JobPayload | null>;
  /** Jobs became pending: serve waiting runners. */
  wake(): void;
}

function fits(job: JobRow, runner: RunnerInfo): boolean {
  const tags = job.spec.tags;
  if (tags.length === 0) return runner.runUntagged;
  return tags.every((t) => runner.tags.includes(t));
}

export function createJobQueue(q: QueueContext): JobQueue {
  const waiters: Waiter[] = [];

  /**
   * Claims the oldest fitting pending job for the runner (single-threaded: no one else can claim between); none for a
   * runner paused meanwhile (also while its request was held).
   */
  function claim(runner: RunnerInfo): JobPayload | null {
    if (q.repos.runners.findById(runner.id)?.paused) return null;
    const pending = q.repos.jobs.oldestPending(200);
    const job = pending.find((j) => fits(j, runner));
    if (!job) return null;
    const token = newToken("glcbt");
    const now = new Date();
    const update = {
      status: "running" as const,
      runnerId: runner.id,
      startedAt: now,
      tokenHash: hashToken(token),
      timeoutSeconds: job.spec.timeout ?? q.defaultTimeoutSeconds,
    };
    q.repos.jobs.updateIfPending(job.id, update);
    q.repos.runners.touchContacted(runner.id, now);
    const running = { ...job, ...update };
    q.events.jobChanged(running);
    refreshPipelineStatus(q, job.pipelineId);
    return buildPayload(q, running, token);
  }

  return {
    request(runner, signal, waitMs) {
      const now = claim(runner);
      if (now || signal.aborted) return Promise.resolve(now);
      return new Promise((resolve) => {
        const waiter: Waiter = {
          runner,
          resolve: (p) => {
            clearTimeout(timer);
            signal.removeEventListener("abort", onAbort);
            const i = waiters.indexOf(waiter);
            if (i >= 0) waiters.splice(i, 1);
            resolve(p);
          },
        };
        const onAbort = () => waiter.resolve(null);
        const timer = setTimeout(() => waiter.resolve(null), waitMs);
        signal.addEventListener("abort", onAbort, { once: true });
        waiters.push(waiter);
      });
    },
    wake() {
      for (const waiter of [...waiters]) {
        const payload = claim(waiter.runner);
        if (!payload) continue;
        waiter.resolve(payload);
      }
    },
  };
}
