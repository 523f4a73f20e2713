// The abort signals of one running job: cancel from the server, the job timeout, the runner stopping, a lost log.
import type { Coordinator } from "../domain/coordinator.ts";
import type { AbortCause } from "./outcome.ts";

/** setTimeout fires at once past this many milliseconds, so longer timeouts are capped to it (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** GitLab's RUNNER_AFTER_SCRIPT_TIMEOUT default. */
export const AFTER_SCRIPT_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * Order: create at job start → endScriptTimeout() when step_script is over → dispose() once at the end.
 * `signal` aborts once, on the first of cancel, timeout and stop, with the cause in `cause()`.
 */
export interface JobControl {
  readonly signal: AbortSignal;
  cause(): AbortCause | null;
  /** Ends the job as a system failure (its log cannot be stored): aborts with cause `system_failure`. */
  fail(message: string): void;
  /** The message given to fail(), once it was called. */
  failure(): string;
  /** The job timeout covers sources and script only: after_script and the terminal hold have their own limits. */
  endScriptTimeout(): void;
  /** For after_script: its own limit, and a cancel or stop that comes while it runs. */
  afterScriptSignal(): AbortSignal;
  /** For the terminal hold after the script: a cancel or stop that comes while it waits. */
  holdSignal(): AbortSignal;
  dispose(): void;
}

export function createJobControl(
  coordinator: Coordinator,
  jobId: number,
  timeoutSeconds: number,
  stopSignal: AbortSignal,
): JobControl {
  const job = new AbortController();
  // Aborted by any cancel or stop, also one that comes after the job's own signal has aborted.
  const interrupt = new AbortController();
  let cause: AbortCause | null = null;
  let failure = "";
  const abort = (why: AbortCause) => {
    if (cause === null) {
      cause = why;
      job.abort(why);
    }
  };
  const onStop = () => {
    abort("stopped");
    interrupt.abort("stopped");
  };
  const unwatch = coordinator.watchCancel(jobId, () => {
    abort("canceled");
    interrupt.abort("canceled");
  });
  if (stopSignal.aborted) onStop();
  else stopSignal.addEventListener("abort", onStop, { once: true });
  let timer: ReturnType<typeof setTimeout> | null = setTimeout(
    () => abort("timeout"),
    Math.min(timeoutSeconds * 1000, MAX_TIMER_MS),
  );
  const endTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  return {
    signal: job.signal,
    cause: () => cause,
    fail(message) {
      if (cause === null) failure = message;
      abort("system_failure");
    },
    failure: () => failure,
    endScriptTimeout: endTimer,
    afterScriptSignal() {
      // A cancel that already ended the script does not also end after_script (GitLab 17 runs it after cancel).
      const interruption = cause === "canceled" ? stopSignal : interrupt.signal;
      return AbortSignal.any([interruption, AbortSignal.timeout(AFTER_SCRIPT_TIMEOUT_MS)]);
    },
    holdSignal: () => interrupt.signal,
    dispose() {
      endTimer();
      unwatch();
      stopSignal.removeEventListener("abort", onStop);
    },
  };
}
