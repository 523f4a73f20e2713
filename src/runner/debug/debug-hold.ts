// The runner's side of debugging: waits at a breakpoint until Continue, holds a failed script's environment.
import { lstat, rm } from "node:fs/promises";
import { join } from "node:path";
import type { TerminalBroker } from "../../domain/coordinator.ts";
import type { DebugPauses } from "../../domain/debug.ts";
import { goDuration } from "../../domain/go-duration.ts";
import type { JobLog } from "../job-log.ts";
import { PAUSED_FILE, STATE_FILE } from "./debug-script.ts";

const POLL_MS = 200;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Whether `path` exists (as anything: the job owns the folder, nothing in it is followed). */
async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * While the step runs (until `signal` aborts): each time its shell reaches the breakpoint (the paused file
 * appears), the job waits in `pauses` until Continue, then the file is removed and the shell goes on.
 */
export async function serveBreakpoints(
  jobId: number,
  controlDir: string,
  where: string,
  pauses: DebugPauses,
  signal: AbortSignal,
): Promise<void> {
  const paused = join(controlDir, PAUSED_FILE);
  while (!signal.aborted) {
    if (await exists(paused)) {
      await pauses.wait(jobId, { kind: "breakpoint", where, since: new Date(), endsAt: null }, signal);
      if (signal.aborted) return;
      await rm(join(controlDir, STATE_FILE), { force: true });
      await rm(paused, { force: true }); // unlink: a link the job put there is removed, never followed
    }
    await sleep(POLL_MS, signal);
  }
}

export interface FailureHold {
  jobId: number;
  /** Seconds to wait for a terminal; null: until Continue (a "Retry with terminal" breakpoint on failure). */
  waitSeconds: number | null;
  exitCode: number;
  broker: TerminalBroker;
  pauses: DebugPauses;
  log: JobLog;
  /** Aborts on cancel or stop. */
  signal: AbortSignal;
}

/**
 * After a failed script: the environment waits up to `waitSeconds` for a terminal; once one is attached, the
 * broker holds until the last terminal leaves or session_timeout. Continue ends either at once. Without a limit,
 * only Continue (or cancel) ends the wait: terminals may come and go.
 */
export async function holdFailedScript(hold: FailureHold): Promise<void> {
  const { jobId, waitSeconds, log } = hold;
  const endsAt = waitSeconds === null ? null : new Date(Date.now() + waitSeconds * 1000);
  log.notice(
    endsAt
      ? `Debug on failure: the job keeps its environment and waits ${goDuration(waitSeconds!)} for a terminal (Debug the failure on the job page; Continue ends the wait)`
      : "Breakpoint on failure: the job keeps its environment and waits for a terminal until Continue",
  );
  const continued = new AbortController();
  const signal = AbortSignal.any([hold.signal, continued.signal]);
  const where = `after the script failed with exit code ${hold.exitCode}`;
  const waiting = hold.pauses
    .wait(jobId, { kind: endsAt ? "on_failure" : "breakpoint", where, since: new Date(), endsAt }, hold.signal)
    .then(() => continued.abort());
  if (!endsAt) {
    await waiting;
  } else {
    while (!signal.aborted && Date.now() < endsAt.getTime()) {
      let attached = false;
      await hold.broker.hold(
        jobId,
        (line) => {
          attached = true;
          log.info(line);
        },
        signal,
      );
      if (attached) break;
      await sleep(Math.min(POLL_MS * 2, endsAt.getTime() - Date.now()), signal);
    }
    if (!signal.aborted && Date.now() >= endsAt.getTime()) log.info("Nobody attached a terminal; the job ends.");
  }
  if (continued.signal.aborted && !hold.signal.aborted) {
    log.info("Continue: the job ends.");
    hold.broker.withdraw(jobId, "job_finished"); // Continue does not wait for attached terminals to leave
  }
  hold.pauses.continue(jobId); // ends the shown wait when the broker's hold or the time ended it
}
