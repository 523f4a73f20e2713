// The pipeline plan: what a `.gitlab-ci.yml` compiles to, the contract between pipeline/ and queue/.
import type { DebugSpec } from "../domain/debug.ts";

import type { CacheFields, ImageSpec, ServiceSpec, YamlVariable } from "../domain/job-spec.ts";

export type { ImageSpec, ServiceSpec, YamlVariable };

export type JobWhen = "on_success" | "on_failure" | "always" | "manual" | "delayed";

export interface RetrySpec {
  /** 0–2 */
  max: number;
  /** failure reasons (GitLab's names, `always` for any); empty means `always`. */
  when: string[];
  /** exit codes that allow a retry; empty means any. */
  exitCodes: number[];
}

export interface NeedSpec {
  /** The name of a job in the same pipeline; for a parallel job, its base name (all instances are needed). */
  job: string;
  optional: boolean;
  /** `false` when written `artifacts: false`: the job does not download this need's artifacts. */
  artifacts?: boolean;
}

/** `needs: [{pipeline, job}]`: the artifacts of job `job` of pipeline `pipeline` (a parent's, `$PARENT_PIPELINE_ID`). */
export interface CrossPipelineNeed {
  /** The pipeline id as written; `$VARIABLES` are expanded when the job starts. */
  pipeline: string;
  job: string;
  /** `false` when written `artifacts: false`. */
  artifacts: boolean;
}

/** `artifacts:reports`: report type (`junit`, `dotenv`, …) → the paths it collects. */
export type ArtifactReports = Record<string, string[]>;

export interface ArtifactsSpec {
  paths: string[];
  exclude: string[];
  when: "on_success" | "on_failure" | "always";
  expireIn?: string;
  name?: string;
  /** `untracked: true`: also every file git does not track (and does not ignore). */
  untracked?: boolean;
  reports?: ArtifactReports;
  /** The link text on the pipeline page for this job's artifacts. */
  exposeAs?: string;
  /** `access` (`public: false` is `developer`): who may download them. */
  access?: "all" | "developer" | "none";
}

/** One `cache:` entry as written; `$VARIABLES` in key, prefix, paths and fallback keys are expanded by the runner. */
export interface CacheSpec extends CacheFields {
  /** Share the cache between protected and unprotected refs. */
  unprotect: boolean;
}

/** `trigger:` of a bridge: what downstream pipeline it creates and how it follows it. */
export interface TriggerSpec {
  /** Multi-project: the downstream project's full path, as written (`$VARIABLES` expanded when the bridge runs). */
  project?: string;
  /** Multi-project: the branch to run; the project's default branch when absent. */
  branch?: string;
  /** Child pipeline: the `include` entries (local paths, `{local}`, `{artifact, job}`, `{project, file, ref}`). */
  include?: unknown[];
  /** `depend`: the bridge's status follows the downstream pipeline's; absent: it succeeds once that is created. */
  strategy?: "depend";
  /** What is passed down: the bridge's YAML variables (job and global), the pipeline's own variables. */
  forward: { yamlVariables: boolean; pipelineVariables: boolean };
}

/** One job as it will run: `extends`, `default`, anchors, `!reference`, rules and `parallel` already applied. */
export interface PlanJob {
  /** Display name, with GitLab's suffix for parallel jobs (`test 1/3`, `test: [ruby, 3]`). */
  name: string;
  /** The job's key in the YAML (the name without the parallel suffix). */
  baseName: string;
  stage: string;
  /** Index of `stage` in `PipelinePlan.stages`. */
  stageIndex: number;
  beforeScript: string[];
  script: string[];
  afterScript: string[];
  image?: ImageSpec;
  services: ServiceSpec[];
  /** Job-level YAML variables only (rules and matrix variables included); global ones are on the plan. */
  variables: YamlVariable[];
  when: JobWhen;
  /** Seconds, for `when: delayed`. */
  startIn?: number;
  /** `true`/`false`, or only for these exit codes. */
  allowFailure: boolean | { exitCodes: number[] };
  retry: RetrySpec;
  /** `null`: ordered by stage. `[]`: starts at once. */
  needs: NeedSpec[] | null;
  /** Seconds; `undefined` means the project/runner default. */
  timeout?: number;
  tags: string[];
  interruptible: boolean;
  /** For `parallel`: this instance's 1-based index and the total (CI_NODE_INDEX / CI_NODE_TOTAL). */
  parallel?: { index: number; total: number };
  artifacts?: ArtifactsSpec;
  cache: CacheSpec[];
  coverage?: string;
  dependencies?: string[];
  /** The pipeline's warnings (keywords accepted but not acted on), repeated in this job's log. */
  warnings?: string[];
  /** `needs: [{pipeline, job}]` entries: artifacts from jobs of an upstream pipeline (not waited for). */
  crossPipelineNeeds?: CrossPipelineNeed[];
  /** Present for a bridge (a job with `trigger:`): it runs no script but creates a downstream pipeline. */
  trigger?: TriggerSpec;
  /** Porthole's own `debug:` (and, on a "Retry with terminal" try, its breakpoint). */
  debug?: DebugSpec;
  /** `environment`, its name and url with `$VARIABLES` expanded when the pipeline was created. */
  environment?: EnvironmentSpec;
  /** `resource_group`, expanded: at most one job of the project with this key runs at a time. */
  resourceGroup?: string;
}

/** A job's `environment` as the queue acts on it. */
export interface EnvironmentSpec {
  name: string;
  url?: string;
  action: "start" | "stop" | "prepare" | "verify" | "access";
  onStop?: string;
  /** Seconds after a successful deployment until the environment stops by itself; null: never. */
  autoStopIn?: number | null;
  deploymentTier?: "production" | "staging" | "testing" | "development" | "other";
}

/** `workflow:auto_cancel`, GitLab's defaults when not written. */
export interface AutoCancelSpec {
  /** `conservative`: cancel an older pipeline of the ref while none of its non-interruptible jobs started;
   * `interruptible`: cancel only its interruptible jobs; `none`: never. */
  onNewCommit: "conservative" | "interruptible" | "none";
  /** `all`: a failing job (one not allowed to fail) cancels the rest of the pipeline. */
  onJobFailure: "none" | "all";
}

export interface PipelinePlan {
  /** `workflow:name` with `$VARIABLES` expanded (unknown ones blank), trimmed; absent when not written or blank. */
  name?: string;
  /** All stages in order, `.pre` first and `.post` last. */
  stages: string[];
  /** Global YAML variables (after `workflow:rules:variables`). */
  variables: YamlVariable[];
  /** Jobs that are in the pipeline (rules/only/except already evaluated), in stage then file order. */
  jobs: PlanJob[];
  autoCancel: AutoCancelSpec;
  warnings: string[];
}

/** One error: GitLab's wording in `message`, where it is in the file when known. */
export interface ConfigError {
  message: string;
  /** File the error is in (`.gitlab-ci.yml` or an included path). */
  file?: string;
  line?: number;
  column?: number;
}

/** What rules, only/except and workflow see when the pipeline is created. */
export interface PipelineContext {
  /** Variables visible to `rules:if` (predefined + project + pipeline), by name. */
  variables: Record<string, string>;
  ref: string;
  tag: boolean;
  /** `push`, `web`, `api`, `trigger`, `schedule`, … (GitLab's CI_PIPELINE_SOURCE). */
  source: string;
  /**
   * Files the pushed commits changed, for `rules:changes` / `only:changes` in `push` pipelines.
   * Undefined when unknown (a new branch, a tag, any other source): `changes` then always matches, as in GitLab.
   */
  changedPaths?: string[];
}

/** Read access to the repository at the pipeline's commit, for `include:local` and `rules:exists`. */
export interface RepositoryFiles {
  /** The file's text, or `null` when it does not exist. */
  read(path: string): string | null;
  /** Every file path in the commit (relative, `/`-separated). */
  list(): string[];
  /** The commit's sha, when known (a component's `$[[ component.sha ]]`). */
  sha?: string;
  /** The release tag (`1.2.0`) another project's ref resolved to, when it is one (`$[[ component.version ]]`). */
  release?: string;
  /**
   * Another project's files at `ref`, for `include:project` (`project` is its lower-case full path): `not_found`
   * when it does not exist or the pipeline's user may not read its code, `no_ref` when it has no such ref.
   * Absent where no project can be opened (lint without a user, tests).
   */
  openProject?(project: string, ref: string): RepositoryFiles | "not_found" | "no_ref";
  /**
   * Files changed between the merge base of `ref` (a branch, tag or sha) and this commit, for
   * `rules:changes:compare_to`; null when there is no such ref. Absent where there is no repository.
   */
  changedSince?(ref: string): string[] | null;
}

/**
 * `include:remote` files, fetched outside the compiler (it does no I/O; the compile pool asks the main thread and
 * waits): the text, or GitLab's error message for the URL.
 */
export interface RemoteFiles {
  get(url: string): { text: string } | { error: string };
}

/** What includes may use besides the repository: remote files, and which variables `expand_vars` must not expand. */
export interface IncludeSources {
  remote?: RemoteFiles;
  /** Names of masked variables. */
  masked?: ReadonlySet<string>;
}

/** One file an include brought in, as GitLab's lint lists it (its `includes`). */
export interface IncludedFile {
  /** `file` is `include:project`'s. */
  type: "local" | "file" | "component" | "remote";
  /** As written (variables expanded). */
  location: string;
  /** Links to the file: porthole has no file pages, so only a remote file's `raw` (its URL) is given. */
  blob: string | null;
  raw: string | null;
  /** `include:project`'s `project` and `ref`. */
  extra: Record<string, string>;
  /** The project (full path) and commit of the file that included it; null where that is the pipeline's own. */
  context_project: string | null;
  context_sha: string | null;
}

export type CompileResult =
  | { ok: true; plan: PipelinePlan; mergedYaml: string }
  | { ok: false; errors: ConfigError[]; warnings: string[] };

export interface LintResult {
  valid: boolean;
  /** Each error as one line: `<message> (line L, column C)`, file named when not the main one. */
  errors: string[];
  warnings: string[];
  merged_yaml: string;
  /** Every included file, in the order they were read (absent when there is none). */
  includes?: IncludedFile[];
}
