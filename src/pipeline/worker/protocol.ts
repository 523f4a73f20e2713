// Messages between the compile pool and its workers, and the states of the shared buffer that carries file reads.
import type { ConfigError, LintResult, PipelineContext, PipelinePlan } from "../types.ts";

export type CompileRequest =
  | { id: number; op: "lint"; content: string; repoPaths: string[] | null; maxJobs: number }
  | { id: number; op: "compile"; content: string; repoPaths: string[] | null; ctx: PipelineContext; maxJobs: number };

/** A compile's outcome as the pool answers it (the merged YAML is printed only by lint). */
export type PooledCompileResult =
  | { ok: true; plan: PipelinePlan }
  | { ok: false; errors: ConfigError[]; warnings: string[] };

export type CompileReply =
  /** Sent once, when the worker has loaded; `tid` lets the pool read the thread's CPU time. */
  | { ready: true; tid: number | null }
  | { id: number; read: string }
  /** `rules:changes:compare_to`: the files changed since `ref`, answered as JSON (`null`: no such ref). */
  | { id: number; changedSince: string }
  | { id: number; lint: LintResult }
  | { id: number; compile: PooledCompileResult }
  /** The compile threw (an include read that could not be carried); the message is shown as the error. */
  | { id: number; failed: string };

/** ctl[0]: the worker waits for a read. */
export const READ_WAITING = 0;
/** ctl[0]: the main thread has answered; ctl[1] holds the byte length or one of the markers below. */
export const READ_DONE = 1;
export const FILE_ABSENT = -1;
export const FILE_TOO_LARGE = -2;
