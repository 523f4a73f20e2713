// Messages between the compile pool and its workers, what a worker asks the main thread while it compiles, and the
// states of the shared buffer that carries the answers.
import type { ConfigError, LintResult, PipelineContext, PipelinePlan } from "../types.ts";

/** What a compile may use besides its text, said once per request (the answers come through `HostCall`s). */
interface RequestSources {
  /** The pipeline's own repository's paths; null when it has none. */
  repoPaths: string[] | null;
  /** Whether the main thread opens other projects (`include:project`, `include:component`) for this request. */
  projects: boolean;
  /** Whether the main thread fetches `include:remote` files for this request. */
  remote: boolean;
  /** Names of masked variables (`expand_vars` does not expand them). */
  masked: string[];
}

export type CompileRequest = RequestSources &
  (
    | { id: number; op: "lint"; content: string; maxJobs: number; variables: Record<string, string> }
    | { id: number; op: "compile"; content: string; ctx: PipelineContext; maxJobs: number }
  );

/**
 * What a worker asks of the main thread, blocking until it answers. `scope` names a repository: 0 the pipeline's
 * own, others the ones `open` answered.
 */
export type HostCall =
  /** Answer: the file's text, or FILE_ABSENT. */
  | { op: "read"; scope: number; path: string }
  /** Answer: the repository's paths, as JSON. */
  | { op: "list"; scope: number }
  /** Answer: `OpenAnswer` as JSON. */
  | { op: "open"; project: string; ref: string }
  /** Answer: `{text}` or `{error}` (GitLab's message) as JSON. */
  | { op: "remote"; url: string }
  /** `rules:changes:compare_to`: the own repository's files changed since `ref`, as JSON; FILE_ABSENT: no such ref. */
  | { op: "changed"; ref: string };

export type OpenAnswer = "not_found" | "no_ref" | { scope: number; sha?: string; release?: string };

/** A compile's outcome as the pool answers it (the merged YAML is printed only by lint). */
export type PooledCompileResult =
  | { ok: true; plan: PipelinePlan }
  | { ok: false; errors: ConfigError[]; warnings: string[] };

export type CompileReply =
  /** Sent once, when the worker has loaded; `tid` lets the pool read the thread's CPU time. */
  | { ready: true; tid: number | null }
  | { id: number; call: HostCall }
  | { id: number; lint: LintResult }
  | { id: number; compile: PooledCompileResult }
  /** The compile threw (an answer that could not be carried); the message is shown as the error. */
  | { id: number; failed: string };

/** ctl[STATE]: the worker waits for an answer. */
export const CALL_WAITING = 0;
/** ctl[STATE]: the main thread has answered; ctl[STATUS] says how, ctl[LENGTH] is the answer's length in bytes. */
export const CALL_DONE = 1;
export const STATE = 0;
export const STATUS = 1;
export const LENGTH = 2;
/** The ctl words before the answer's bytes. */
export const CTL_WORDS = 4;
/** ctl[STATUS] values. */
export const ANSWERED = 0;
export const FILE_ABSENT = 1;
export const ANSWER_TOO_LARGE = 2;
/** The main thread failed to answer; the buffer holds its message. */
export const CALL_FAILED = 3;
