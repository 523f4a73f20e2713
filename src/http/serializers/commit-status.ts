// Commit status JSON (GitLab's CommitStatus entity): external statuses, and the pipeline jobs of the same sha.
import type { CommitStatusRow, JobRow } from "../../store/rows.ts";
import type { Lookups } from "./lookups.ts";
import { iso } from "./time.ts";
import { userBasic } from "./user.ts";

/** An external status set through `POST /projects/:id/statuses/:sha`. */
export function commitStatusEntity(row: CommitStatusRow, look: Lookups) {
  const user = look.user(row.userId);
  return {
    id: row.id,
    sha: row.sha,
    ref: row.ref,
    status: row.status,
    name: row.name,
    target_url: row.targetUrl,
    description: row.description,
    created_at: iso(row.createdAt),
    started_at: iso(row.startedAt),
    finished_at: iso(row.finishedAt),
    allow_failure: false,
    coverage: row.coverage,
    pipeline_id: row.pipelineId,
    author: user ? userBasic(user, look.baseUrl) : null,
  };
}

/** A pipeline job as GitLab lists it among a commit's statuses (its target is the job's page). */
export function jobStatusEntity(job: JobRow, look: Lookups) {
  const pipeline = look.pipeline(job.pipelineId)!;
  const project = look.project(job.projectId)!;
  const user = look.user(job.userId);
  return {
    id: job.id,
    sha: pipeline.sha,
    ref: pipeline.ref,
    status: job.status,
    name: job.name,
    target_url: `${look.baseUrl}/${project.namespace}/${project.path}/-/jobs/${job.id}`,
    description: null,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    allow_failure: job.allowFailure,
    coverage: null,
    pipeline_id: pipeline.id,
    author: user ? userBasic(user, look.baseUrl) : null,
  };
}
