// The coordinator contract between a runner and the server: in process a direct call, for remote runners HTTP.
import type { ArtifactUpload, PayloadArtifact, PayloadDependency } from "./artifacts.ts";
import type { DebugSpec } from "./debug.ts";
import type { CacheFields, ImageSpec, ServiceSpec } from "./job-spec.ts";
import type { Pty } from "./pty.ts";
import type { FailureReason } from "./status.ts";

/** A variable sent to the runner. The runner expands `$VAR` references unless `raw`. */
export interface PayloadVariable {
  key: string;
  value: string;
  masked: boolean;
  raw: boolean;
}

/** Where the job's sources come from. */
export type JobSources = { kind: "git"; url: string; sha: string; ref: string; tag: boolean } | { kind: "none" };

/**
 * One cache of the job (`cache:` as written, see pipeline CacheSpec). The runner expands variables in the key,
 * prefix, paths and fallback keys, hashes `keyFiles`, then appends `keySuffix`, the server's part of every key
 * (`-<jobs_cache_index>` after "Clear runner caches", then `-protected` on a protected ref without `unprotect`, else
 * `-non_protected`).
 */
export interface PayloadCache extends CacheFields {
  keySuffix: string;
}

/** A job handed to a runner: everything it needs, nothing it must look up. */
export interface JobPayload {
  id: number;
  /** CI_JOB_TOKEN: valid while the job runs. */
  token: string;
  name: string;
  stage: string;
  pipelineId: number;
  projectId: number;
  /** `namespace/project` */
  projectPath: string;
  sources: JobSources;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  image?: ImageSpec;
  services: ServiceSpec[];
  /**
   * All variables in order of rising precedence (predefined, global YAML, job YAML, project, pipeline);
   * a later key overrides an earlier one. The runner adds CI_PROJECT_DIR, CI_BUILDS_DIR and CI_JOB_STATUS.
   */
  variables: PayloadVariable[];
  timeoutSeconds: number;
  /** What to collect after after_script (none when the job has no `artifacts`). */
  artifacts: PayloadArtifact[];
  /** Earlier jobs whose artifacts are unpacked before the script, in stage order. */
  dependencies: PayloadDependency[];
  /** The server's limits for one archive: entries, and bytes (stored, and unpacked on download). */
  artifactLimits: { maxFiles: number; maxBytes: number };
  /** Warnings of the pipeline's CI file (keywords accepted but not acted on), written at the top of the job log. */
  warnings?: string[];
  /** Restored before the script and saved after it; absent from older servers (no caches). */
  caches?: PayloadCache[];
  /** Porthole's own: hold a failed script's environment for a terminal, or pause at a breakpoint (absent: off). */
  debug?: DebugSpec;
}

export interface RunnerInfo {
  id: number;
  name: string;
  tags: string[];
  runUntagged: boolean;
}

export type JobResult =
  | { status: "success" }
  | { status: "failed"; failureReason: FailureReason; exitCode?: number }
  | { status: "canceled" };

/**
 * What a runner asks of the server. Order for one job: requestJob → appendTrace* → finishJob.
 * `finishJob` is called exactly once per job handed out, after the last `appendTrace` has resolved.
 */
export interface Coordinator {
  /** The next job for this runner, waiting up to the long-poll time; `null` when none came or `signal` aborted. */
  requestJob(runner: RunnerInfo, signal: AbortSignal): Promise<JobPayload | null>;
  /** Append bytes to the job's log; `offset` is the log's length before them (GitLab's Content-Range). */
  appendTrace(jobId: number, offset: number, bytes: Uint8Array): Promise<void>;
  finishJob(jobId: number, result: JobResult): Promise<void>;
  /**
   * Stores one archive the job collected (before finishJob). Throws `ArtifactRefused` when the server will not
   * keep it (over the size limit); the runner logs that and fails the job.
   */
  uploadArtifacts(jobId: number, upload: ArtifactUpload): Promise<void>;
  /**
   * The archive (zip) of `dependencyId`'s artifacts for running job `jobId`; `null` when it has none. Throws
   * `ArtifactRefused` when they expired or were deleted.
   */
  downloadArtifacts(jobId: number, dependencyId: number): Promise<Uint8Array | null>;
  /** Calls `onCancel` once when the job is canceled on the server. Returns a function that stops watching. */
  watchCancel(jobId: number, onCancel: () => void): () => void;
}

/** A terminal endpoint the runner offers for a job's environment (see executor `openTerminal`). */
export interface TerminalTarget {
  jobId: number;
  open(size: { cols: number; rows: number }): Promise<Pty>;
  /** Values a session recording replaces with [MASKED] (the job log's masked phrases); none when absent. */
  secrets?: string[];
  /** The shell ends when its last connection leaves (a remote runner's session: the runner holds the job meanwhile). */
  endWhenUnattended?: boolean;
}

/**
 * The terminal side of a running job, supplied to the runner by session/ (a no-op broker when terminals are off).
 * Order: offer() after prepare → hold() after the script → withdraw() before cleanup.
 */
export interface TerminalBroker {
  offer(target: TerminalTarget): void;
  /**
   * Called when the script has ended: resolves at once when no terminal is attached; otherwise logs the hold
   * through `log` and resolves when the last terminal closes, session_timeout passes, or `signal` aborts.
   */
  hold(jobId: number, log: (line: string) => void, signal: AbortSignal): Promise<void>;
  /** Closes the job's terminals with `reason` and forgets the target. */
  withdraw(jobId: number, reason: "job_finished" | "canceled" | "session_timeout"): void;
}
