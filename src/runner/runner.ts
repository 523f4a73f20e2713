// The runner: `concurrent` slots, each asking the coordinator for a job and running it, until stop().
import { resolve } from "node:path";
import type { Coordinator, JobPayload, RunnerInfo, TerminalBroker } from "../domain/coordinator.ts";
import type { DebugPauses } from "../domain/debug.ts";
import type { ExecutorProvider } from "../executor/types.ts";
import { createLogger, type Logger } from "../logger.ts";
import { runJob } from "./job-runner.ts";

export { noTerminalBroker } from "./no-terminal-broker.ts";

export interface RunnerOptions {
  coordinator: Coordinator;
  executors: ExecutorProvider;
  broker: TerminalBroker;
  info: RunnerInfo;
  /** Root of the build directories (`CI_BUILDS_DIR`); made absolute. */
  buildsDir: string;
  /** How many jobs run at once. */
  concurrent: number;
  version: string;
  /** Where failed coordinator requests and broken jobs are reported; standard error at info when absent. */
  logger?: Logger;
  /** Bytes of log kept per job (gitlab-runner's `output_limit`, default 4 MiB). */
  outputLimitBytes?: number;
  /** Shared with the server, which shows the waits and continues them (absent: debugging is off). */
  pauses?: DebugPauses;
}

/**
 * Call order: start() once → stop() once. stop() aborts the waiting requests, cancels running jobs (their
 * processes are killed, their logs end with a cancel line, finishJob reports `canceled`), and resolves when
 * every slot has finished.
 */
export interface Runner {
  start(): void;
  stop(): Promise<void>;
}

/** After a failed request, wait this long before the next (doubling up to the maximum). */
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;
/** An empty answer faster than this means the coordinator does not long-poll: pause before asking again. */
const EMPTY_ANSWER_PAUSE_MS = 200;

export function createRunner(opts: RunnerOptions): Runner {
  const stopping = new AbortController();
  const buildsDir = resolve(opts.buildsDir);
  let slots: Promise<void>[] = [];
  const logger = (opts.logger ?? createLogger()).child({ runner: opts.info.name });

  function pause(ms: number): Promise<void> {
    return new Promise((done) => {
      if (stopping.signal.aborted) return done();
      const onStop = () => {
        clearTimeout(timer);
        done();
      };
      const timer = setTimeout(() => {
        stopping.signal.removeEventListener("abort", onStop);
        done();
      }, ms);
      stopping.signal.addEventListener("abort", onStop, { once: true });
    });
  }

  async function slotLoop(slot: number) {
    let retryMs = RETRY_MIN_MS;
    while (!stopping.signal.aborted) {
      const askedAt = performance.now();
      let job: JobPayload | null;
      try {
        job = await opts.coordinator.requestJob(opts.info, stopping.signal);
        retryMs = RETRY_MIN_MS;
      } catch (err) {
        if (stopping.signal.aborted) break;
        logger.warn("asking for a job failed; retrying", { retry_ms: retryMs, error: err });
        await pause(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }
      if (job) {
        await runJob(job, {
          coordinator: opts.coordinator,
          executors: opts.executors,
          broker: opts.broker,
          runner: opts.info,
          buildsDir,
          slot,
          version: opts.version,
          stopSignal: stopping.signal,
          logger,
          outputLimitBytes: opts.outputLimitBytes,
          pauses: opts.pauses,
        }).catch((err) => logger.error("a job broke the runner", { job: job?.id, error: err }));
      } else if (performance.now() - askedAt < EMPTY_ANSWER_PAUSE_MS) {
        await pause(EMPTY_ANSWER_PAUSE_MS);
      }
    }
  }

  return {
    start() {
      if (slots.length > 0 || stopping.signal.aborted) return;
      slots = Array.from({ length: Math.max(1, opts.concurrent) }, (_, slot) => slotLoop(slot));
    },
    async stop() {
      stopping.abort();
      await Promise.all(slots);
    },
  };
}
