// Messages between the compile pool and its workers, and the states of the shared buffer that carries file reads.
import type { ConfigError, LintResult, PipelineContext, PipelinePlan } from "../types.ts";

/**
 * `repoPaths`: the pipeline's repository's files (null: none); `projects`: whether `include:project` and
 * `include:component` may open other projects; `remote`: whether `include:remote` files may be asked for;
 * `masked`: the names of masked variables (`expand_vars` refuses them).
 */
interface RequestBase {
  id: number;
  content: string;
  repoPaths: string[] | null;
  projects: boolean;
  remote: boolean;
  masked: string[];
  maxJobs: number;
}

export type CompileRequest =
  | (RequestBase & { op: "lint"; variables: Record<string, string> })
  | (RequestBase & { op: "compile"; ctx: PipelineContext });

/** A compile's outcome as the pool answers it (the merged YAML is printed only by lint). */
export type PooledCompileResult =
  | { ok: true; plan: PipelinePlan }
  | { ok: false; errors: ConfigError[]; warnings: string[] };

export type CompileReply =
  /** Sent once, when the worker has loaded; `tid` lets the pool read the thread's CPU time. */
  | { ready: true; tid: number | null }
  /** A file's text: from the pipeline's repository (`repo` 0) or from a project opened before (its handle). */
  | { id: number; read: string; repo: number }
  /** `include:project`: open `project` at `ref`; the answer is an {@link OpenedProject} or a marker below. */
  | { id: number; open: { project: string; ref: string } }
  /** `include:remote`: the fetched file (JSON `{text}` or `{error}`), or {@link REMOTE_NOT_FETCHED}. */
  | { id: number; remote: string }
  /** `rules:changes:compare_to`: the files changed since `ref`, answered as JSON, or FILE_ABSENT for no such ref. */
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
/** Answers to `open`: the project does not exist or may not be read; it has no such ref. */
export const PROJECT_NOT_FOUND = -3;
export const PROJECT_NO_REF = -4;
/** The main thread failed to open the project (its mirror could not be read). */
export const PROJECT_FAILED = -5;
/** Answer to `remote`: not fetched yet (the caller fetches it and compiles again). */
export const REMOTE_NOT_FETCHED = -6;

/** The answer to `open` (JSON in the shared buffer): the handle later reads name, and the project's files. */
export interface OpenedProject {
  handle: number;
  paths: string[];
  sha?: string;
  release?: string;
}
