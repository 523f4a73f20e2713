// Job and pipeline statuses and failure reasons, with GitLab's names and meaning; pure, no I/O.

export const JOB_STATUSES = [
  "created",
  "pending",
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
  "manual",
  "scheduled",
  "waiting_for_resource",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type PipelineStatus = JobStatus;

export const FAILURE_REASONS = [
  "script_failure",
  "runner_system_failure",
  "stuck_or_timeout_failure",
  "job_execution_timeout",
  "unknown_failure",
  "image_pull_failure",
  "api_failure",
  "missing_dependency_failure",
  "environment_creation_failure",
] as const;
/** A bridge's (GitLab's `Ci::Bridge`): why its downstream pipeline was not created; never a runner's. */
export const BRIDGE_FAILURE_REASONS = [
  "downstream_bridge_project_not_found",
  "invalid_bridge_trigger",
  "insufficient_bridge_permissions",
  "downstream_pipeline_creation_failed",
  "reached_max_descendant_pipelines_depth",
  "reached_max_pipeline_hierarchy_size",
  "pipeline_loop_detected",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number] | (typeof BRIDGE_FAILURE_REASONS)[number];

const FINISHED: ReadonlySet<JobStatus> = new Set(["success", "failed", "canceled", "skipped"]);

/** A job that will not change again unless someone retries or plays it. */
export function isFinished(status: JobStatus): boolean {
  return FINISHED.has(status);
}

/** Jobs that may be canceled: not yet finished. */
export function isCancelable(status: JobStatus): boolean {
  return !FINISHED.has(status);
}

/** Finished jobs may be retried (GitLab allows retry of failed, canceled and successful jobs). */
export function isRetryable(status: JobStatus): boolean {
  return status === "failed" || status === "canceled" || status === "success";
}

export interface JobStatusFacts {
  status: JobStatus;
  allowFailure: boolean;
}

type CompositeKey = JobStatus | "ignored" | "success_with_warnings";

/**
 * A pipeline's (or stage's) status from its current jobs, following GitLab's
 * `Gitlab::Ci::Status::Composite`: a manual job that may fail is ignored, a failed or canceled job
 * that may fail counts as "success with warnings".
 */
export function compositeStatus(jobs: readonly JobStatusFacts[]): PipelineStatus {
  if (jobs.length === 0) return "created";
  const keys = new Set<CompositeKey>();
  for (const j of jobs) {
    if (j.allowFailure && j.status === "manual") keys.add("ignored");
    else if (j.allowFailure && (j.status === "failed" || j.status === "canceled")) keys.add("success_with_warnings");
    else keys.add(j.status);
  }
  const onlyOf = (...allowed: CompositeKey[]) => [...keys].every((k) => allowed.includes(k));
  const anyOf = (...wanted: CompositeKey[]) => wanted.some((k) => keys.has(k));
  if (onlyOf("skipped", "ignored")) return "skipped";
  if (onlyOf("success", "skipped", "success_with_warnings", "ignored")) return "success";
  if (onlyOf("created", "success_with_warnings", "ignored")) return "created";
  if (onlyOf("canceled", "success", "skipped", "success_with_warnings", "ignored")) return "canceled";
  if (onlyOf("pending", "created", "skipped", "success_with_warnings", "ignored")) return "pending";
  if (anyOf("running", "pending")) return "running";
  if (anyOf("waiting_for_resource")) return "waiting_for_resource";
  if (anyOf("manual")) return "manual";
  if (anyOf("scheduled")) return "scheduled";
  if (anyOf("created")) return "running";
  return "failed";
}

/**
 * A stage's status as the pipeline graph and list show it: the composite status, except that a stage whose jobs
 * are otherwise skipped but which holds a playable manual job is `manual` (GitLab shows its Run button, not "skipped").
 */
export function stageStatus(jobs: readonly JobStatusFacts[]): PipelineStatus {
  const status = compositeStatus(jobs);
  return status === "skipped" && jobs.some((j) => j.status === "manual") ? "manual" : status;
}
