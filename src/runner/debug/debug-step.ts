// Runs the step_script of a job being debugged: its control folder, the breakpoint served meanwhile, the hold after.
import { mkdir, rm } from "node:fs/promises";
import type { JobPayload, TerminalBroker } from "../../domain/coordinator.ts";
import { type Breakpoint, breakpointWhere, type DebugPauses } from "../../domain/debug.ts";
import type { Executor, OutputSink, Step } from "../../executor/types.ts";
import type { JobLog } from "../job-log.ts";
import { holdFailedScript, serveBreakpoints } from "./debug-hold.ts";
import { buildDebugStepScript } from "./debug-script.ts";

export interface DebugPlan {
  /** Host path, the same inside the job's environment. */
  controlDir: string;
  breakpoint?: Breakpoint;
  /** Seconds to wait for a terminal after a failure; 0: no wait (unless the breakpoint is `on_failure`). */
  onFailure: number;
  pauses: DebugPauses;
}

/** The job's debug plan, or null when it is not debugged (or this runner cannot, which the log then says). */
export function debugPlanFor(
  job: JobPayload,
  projectDir: string,
  pauses: DebugPauses | undefined,
  log: JobLog,
): DebugPlan | null {
  const onFailure = job.debug?.onFailure ?? 0;
  const breakpoint = job.debug?.breakpoint;
  if (onFailure <= 0 && !breakpoint) return null;
  if (!pauses) {
    log.warning("this runner cannot pause jobs: debug on failure and breakpoints are ignored");
    return null;
  }
  return { controlDir: `${projectDir}.debug`, breakpoint, onFailure, pauses };
}

/** A fresh, empty control folder (also when an earlier job left one). */
export async function makeControlDir(plan: DebugPlan): Promise<void> {
  await rm(plan.controlDir, { recursive: true, force: true });
  await mkdir(plan.controlDir, { mode: 0o700 });
}

export function removeControlDir(plan: DebugPlan): Promise<void> {
  return rm(plan.controlDir, { recursive: true, force: true });
}

function pausesInScript(b: Breakpoint | undefined): b is Exclude<Breakpoint, { kind: "on_failure" }> {
  return b !== undefined && b.kind !== "on_failure";
}

/** Runs before_script and script with the breakpoint in place; Continue (pauses.continue) resumes the shell. */
export async function runDebugStep(
  plan: DebugPlan,
  job: JobPayload,
  executor: Executor,
  sink: OutputSink,
  signal: AbortSignal,
): Promise<number> {
  const step: Step = {
    name: "step_script",
    script: buildDebugStepScript(job.beforeScript, job.script, plan),
  };
  if (!pausesInScript(plan.breakpoint)) return executor.run(step, sink, signal);
  const stepDone = new AbortController();
  const serving = serveBreakpoints(
    job.id,
    plan.controlDir,
    breakpointWhere(plan.breakpoint),
    plan.pauses,
    AbortSignal.any([signal, stepDone.signal]),
  );
  try {
    return await executor.run(step, sink, signal);
  } finally {
    stepDone.abort();
    await serving;
  }
}

/** After a failed script: holds the environment when the job asks for it and a terminal can be offered. */
export async function holdAfterFailure(
  plan: DebugPlan,
  input: { jobId: number; exitCode: number; offered: boolean; broker: TerminalBroker; log: JobLog },
  signal: AbortSignal,
): Promise<void> {
  const untilContinue = plan.breakpoint?.kind === "on_failure";
  if (!untilContinue && plan.onFailure <= 0) return;
  if (!input.offered) {
    input.log.warning("debug on failure: this executor offers no terminal, so the job does not wait");
    return;
  }
  await holdFailedScript({
    jobId: input.jobId,
    waitSeconds: untilContinue ? null : plan.onFailure,
    exitCode: input.exitCode,
    broker: input.broker,
    pauses: plan.pauses,
    log: input.log,
    signal,
  });
}
