// How a job ended: the runner's view, the closing log line GitLab would print, and the result for the server.
import type { JobResult } from "../domain/coordinator.ts";
import { goDuration } from "../domain/go-duration.ts";
import type { FailureReason } from "../domain/status.ts";
import type { JobStatusForAfterScript } from "./script-builder.ts";

export type Outcome =
  | { kind: "success" }
  | { kind: "script_failure"; exitCode: number }
  | { kind: "system_failure"; message: string; reason: FailureReason }
  | { kind: "timeout"; seconds: number }
  | { kind: "canceled" }
  /** The runner was stopped while the job ran. */
  | { kind: "stopped" };

/** Why a job's signal aborted. */
export type AbortCause = "canceled" | "timeout" | "stopped" | "system_failure";

/** The closing line, without colour: `Job succeeded` or the text after `ERROR: `. */
export function closingLine(outcome: Outcome): { ok: true; text: string } | { ok: false; text: string } {
  switch (outcome.kind) {
    case "success":
      return { ok: true, text: "Job succeeded" };
    case "script_failure":
      return { ok: false, text: `Job failed: exit code ${outcome.exitCode}` };
    case "system_failure":
      return { ok: false, text: `Job failed: ${outcome.message}` };
    case "timeout":
      // GitLab's wording, "seconds" after a Go duration included.
      return { ok: false, text: `Job failed: execution took longer than ${goDuration(outcome.seconds)} seconds` };
    case "canceled":
      return { ok: false, text: "Job failed: canceled" };
    case "stopped":
      return { ok: false, text: "Job failed: canceled: the runner is shutting down" };
  }
}

export function toJobResult(outcome: Outcome): JobResult {
  switch (outcome.kind) {
    case "success":
      return { status: "success" };
    case "script_failure":
      return { status: "failed", failureReason: "script_failure", exitCode: outcome.exitCode };
    case "system_failure":
      return { status: "failed", failureReason: outcome.reason };
    case "timeout":
      return { status: "failed", failureReason: "job_execution_timeout" };
    case "canceled":
    case "stopped":
      return { status: "canceled" };
  }
}

/** CI_JOB_STATUS for after_script. */
export function statusForAfterScript(outcome: Outcome): JobStatusForAfterScript {
  if (outcome.kind === "success") return "success";
  return outcome.kind === "canceled" || outcome.kind === "stopped" ? "canceled" : "failed";
}

/** The outcome of an abort, by its cause. */
export function abortedOutcome(cause: AbortCause, timeoutSeconds: number, failure = ""): Outcome {
  if (cause === "timeout") return { kind: "timeout", seconds: timeoutSeconds };
  if (cause === "system_failure") return { kind: "system_failure", message: failure, reason: "runner_system_failure" };
  return { kind: cause };
}
