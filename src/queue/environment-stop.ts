// Stopping an environment: its last deployment's on_stop job is played (or retried), else it stops at once; and
// the timer that stops environments whose `auto_stop_in` is due.
import { isFinished } from "../domain/status.ts";
import type { Logger } from "../logger.ts";
import type { Repositories } from "../store/repositories.ts";
import type { EnvironmentRow, JobRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { playJob, retryJob } from "./job-actions.ts";

/** The timer looks again at least this often (environments changed by another process). */
const MAX_SLEEP_MS = 60_000;

/** The on_stop job of the environment's last successful deployment, if its pipeline holds one. */
export function stopJobOf(repos: Repositories, environment: EnvironmentRow): JobRow | null {
  const last = repos.deployments.lastSuccessful(environment.id);
  const started = last?.jobId ? repos.jobs.findById(last.jobId) : null;
  if (!last?.onStop || !started) return null;
  return repos.jobs.currentOfPipeline(started.pipelineId).find((j) => j.name === last.onStop) ?? null;
}

/**
 * Stops the environment as `userId`: with an on_stop job it is `stopping` until that job succeeds (a manual one is
 * played, a finished one retried, one already on its way left to run; refused like any play when the user may not
 * run jobs on its ref); without one, one not ready yet, or with `force`, it is `stopped` at once. Returns the environment as it is then.
 */
export function stopEnvironment(
  q: QueueContext,
  environment: EnvironmentRow,
  userId: number | null,
  force = false,
): EnvironmentRow {
  const stop = force ? null : stopJobOf(q.repos, environment);
  // A stop job still waiting for its stage cannot run now: the environment stops without it.
  if (!stop || stop.status === "created")
    return q.repos.environments.update(environment.id, { state: "stopped", autoStopAt: null });
  if (stop.status === "manual" || stop.status === "scheduled") playJob(q, stop.id, userId);
  else if (isFinished(stop.status)) retryJob(q, stop.id, userId);
  const now = q.repos.environments.findById(environment.id)!;
  // A stop job that already succeeded again before we look has stopped it; else it is stopping until it does.
  return now.state === "stopped"
    ? now
    : q.repos.environments.update(environment.id, { state: "stopping", autoStopAt: null });
}

export interface AutoStopper {
  /** An auto-stop time changed: re-arm the timer. */
  wake(): void;
  stop(): void;
}

/** Stops each environment when its `auto_stop_at` is due, as the user of its last deployment (GitLab's). */
export function createAutoStopper(q: QueueContext, now: () => number, logger: Logger): AutoStopper {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  function runDue() {
    for (const environment of q.repos.environments.dueToStop(new Date(now()))) {
      const userId = q.repos.deployments.lastSuccessful(environment.id)?.userId ?? null;
      try {
        stopEnvironment(q, environment, userId);
      } catch (error) {
        // The on_stop job could not run (its user may no longer run jobs there): stop without it, and say so.
        logger.warn("an environment's on_stop job could not run; stopped without it", {
          environment: environment.id,
          error,
        });
        stopEnvironment(q, environment, userId, true);
      }
    }
  }

  function arm() {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    const soonest = q.repos.environments.nextAutoStop();
    const delay = soonest === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(0, soonest.getTime() - now()));
    timer = setTimeout(() => {
      timer = null;
      try {
        runDue();
      } catch (error) {
        logger.error("stopping due environments failed", { error });
      }
      arm();
    }, delay);
    timer.unref?.();
  }

  arm();
  return {
    wake: arm,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
