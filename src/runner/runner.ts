// The runner: `concurrent` slots, each asking the coordinator for a job and running it, until stop().
import { resolve } from "node:path";
import type { Coordinator, JobPayload, RunnerInfo, TerminalBroker } from "../domain/coordinator.ts";
import type { ExecutorProvider } from "../executor/types.ts";
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
  /** Bytes of log kept per job (gitlab-runner's `output_limit`, default 4 MiB). */
  outputLimitBytes?: number;
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
        console.error(`porthole runner ${opts.info.name}: asking for a job failed, retrying in ${retryMs} ms:`, err);
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
          outputLimitBytes: opts.outputLimitBytes,
        }).catch((err) => console.error(`porthole runner ${opts.info.name}: job ${job?.id} broke the runner:`, err));
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
