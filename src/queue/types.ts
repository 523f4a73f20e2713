// The pipeline service: what http/ (API and pages) asks of the scheduler.
import type { Breakpoint } from "../domain/debug.ts";
import type { LintResult } from "../pipeline/types.ts";
import type { EnvironmentRow, JobRow, PipelineRow } from "../store/rows.ts";
import type { RepositoryReader } from "./repository-reader.ts";

export type PipelineSource = "api" | "web" | "trigger" | "pipeline" | "parent_pipeline" | "push" | "schedule";

export interface CreatePipelineInput {
  projectId: number;
  /** Branch or tag; the project's default branch when absent. */
  ref?: string;
  source: PipelineSource;
  userId: number | null;
  variables: { key: string; value: string }[];
  /** Pin the pipeline to this commit of `ref` (a push's new sha) instead of the ref's tip. */
  sha?: string;
  /** The ref's sha before the push (CI_COMMIT_BEFORE_SHA; forty zeros for a new ref). */
  beforeSha?: string;
  /** The schedule this pipeline runs for (`source: "schedule"`). */
  scheduleId?: number;
  /** A downstream pipeline: the bridge that creates it, and that bridge's pipeline. */
  upstream?: { jobId: number; pipelineId: number };
  /**
   * A child pipeline's configuration instead of the project's CI file: `content` (GitLab's `include:` of the
   * trigger), compiled against the commit's files with `files` (artifacts it includes) laid over them.
   */
  config?: { content: string; files: Record<string, string> };
}

/** One ref a push changed (from a forge's webhook, a `git push` to porthole or a mirror poll). */
export interface PushInput {
  projectId: number;
  /** Full ref name: `refs/heads/main`, `refs/tags/v1`. */
  ref: string;
  before: string;
  after: string;
  /** Who the pipeline runs as (checked now: must be active and allowed to create pipelines on the ref). */
  userId: number | null;
  /** `git push -o` options; `ci.skip` starts nothing. */
  pushOptions?: readonly string[];
  /**
   * A forge reported this push (webhook): fetch import_url first, and check the sha is on the ref. False when the
   * refs were read from the repository itself (`git push` to porthole, a mirror poll).
   */
  fetch: boolean;
}

/** What a push led to: a pipeline, or why none was made. */
export type PushOutcome =
  | { kind: "pipeline"; pipeline: PipelineRow }
  | { kind: "skipped"; reason: "deleted" | "skip_ci" | "push_option" | "not_a_branch_or_tag" };

/**
 * All throw `DomainError`: `not_found` for a missing pipeline/job, `bad_request` for an invalid config
 * (with `fields.base` holding one message per error, GitLab's shape) or an unknown ref, `forbidden`
 * for an action the job's state does not allow (GitLab answers 403 there too).
 */
export interface PipelineService {
  /** Resolves the ref's sha, compiles the CI file and stores the pipeline and its jobs in one transaction. */
  create(input: CreatePipelineInput): Promise<PipelineRow>;
  /**
   * Starts the pipeline a push asks for (none for a deleted ref, `[skip ci]` or `-o ci.skip`) and audits the
   * outcome; `via` names how the push came (`webhook:github`, `git_push`). Never throws: null when it failed.
   */
  push(input: PushInput, via: string): Promise<PushOutcome | null>;
  /** Runs a pipeline schedule now as `userId` (its variables, `CI_PIPELINE_SOURCE=schedule`). */
  playSchedule(scheduleId: number, userId: number): Promise<PipelineRow>;
  /** Tells the schedule timer that schedules changed (made, edited, deleted). */
  schedulesChanged(): void;
  /**
   * Validates `content` as the project's CI config (includes resolved against its repository, fetched for `userId`);
   * `projectId` null: as the CI config of a project without a repository (a new project's inline file).
   */
  lint(projectId: number | null, content: string, userId?: number | null): Promise<LintResult>;
  /**
   * The project's repository as its mirror holds it (fetched first when there is none yet, guarded for non-admin
   * `userId`s as pipeline creation is); null for a project without a repository (its CI file is inline).
   */
  repository(projectId: number, userId: number | null): Promise<RepositoryReader | null>;
  cancelPipeline(pipelineId: number): PipelineRow;
  /** Retries the pipeline's failed and canceled jobs. */
  retryPipeline(pipelineId: number, userId: number | null): PipelineRow;
  deletePipeline(pipelineId: number): void;
  cancelJob(jobId: number): JobRow;
  /** Makes a new job from a finished one; the old one is marked `retried`. */
  /** With `breakpoint` ("Retry with terminal", porthole's own), the new try pauses there for a terminal. */
  retryJob(jobId: number, userId: number | null, breakpoint?: Breakpoint): JobRow;
  /** Starts a manual job (or a delayed one now). */
  playJob(jobId: number, userId: number | null, variables?: { key: string; value: string }[]): JobRow;
  /**
   * Stops an environment: plays (or retries) its last deployment's on_stop job as `userId`, which must be allowed
   * to run jobs on that ref (403 otherwise); without one, or with `force`, it stops at once.
   */
  stopEnvironment(environment: EnvironmentRow, userId: number | null, force?: boolean): EnvironmentRow;
  /** A resource group's process mode changed: its next waiting job may now get the resource. */
  resourceGroupChanged(projectId: number, key: string): void;
}

/** Change notifications for live pages. */
export interface QueueEvents {
  onJob(listener: (job: JobRow) => void): () => void;
  onPipeline(listener: (pipeline: PipelineRow) => void): () => void;
}
