// The pipeline service: what http/ (API and pages) asks of the scheduler.
import type { LintResult } from "../pipeline/types.ts";
import type { JobRow, PipelineRow } from "../store/rows.ts";
import type { RepositoryReader } from "./repository-reader.ts";

export type PipelineSource = "api" | "web" | "trigger" | "pipeline" | "push" | "schedule";

export interface CreatePipelineInput {
  projectId: number;
  /** Branch or tag; the project's default branch when absent. */
  ref?: string;
  source: PipelineSource;
  userId: number | null;
  variables: { key: string; value: string }[];
}

/**
 * All throw `DomainError`: `not_found` for a missing pipeline/job, `bad_request` for an invalid config
 * (with `fields.base` holding one message per error, GitLab's shape) or an unknown ref, `forbidden`
 * for an action the job's state does not allow (GitLab answers 403 there too).
 */
export interface PipelineService {
  /** Resolves the ref's sha, compiles the CI file and stores the pipeline and its jobs in one transaction. */
  create(input: CreatePipelineInput): Promise<PipelineRow>;
  /** Validates `content` as the project's CI config (includes resolved against its repository, fetched for `userId`). */
  lint(projectId: number, content: string, userId?: number | null): Promise<LintResult>;
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
  retryJob(jobId: number, userId: number | null): JobRow;
  /** Starts a manual job (or a delayed one now). */
  playJob(jobId: number, userId: number | null, variables?: { key: string; value: string }[]): JobRow;
}

/** Change notifications for live pages. */
export interface QueueEvents {
  onJob(listener: (job: JobRow) => void): () => void;
  onPipeline(listener: (pipeline: PipelineRow) => void): () => void;
}
