// Job JSON: GitLab's Ci::Job (with pipeline, user, runner, commit and timing fields) and Ci::Bridge.
import type { JobRow, PipelineRow } from "../../store/rows.ts";
import { artifactFields } from "./artifacts.ts";
import { runnerEntity } from "./credentials.ts";
import type { Lookups } from "./lookups.ts";
import { pipelineBasic } from "./pipeline.ts";
import { iso, seconds } from "./time.ts";
import { userEntity } from "./user.ts";

/** GitLab's Ci::Job. Throws if the job's pipeline or project row is gone (callers load the job through them). */
export function jobEntity(job: JobRow, look: Lookups) {
  const runner = look.runner(job.runnerId);
  return {
    ...jobBasic(job, look),
    ...artifactFields(job, look.artifacts(job.id)),
    runner: runner ? runnerEntity(runner) : null,
    runner_manager: null,
    archived: false,
    tag_list: [...job.spec.tags].sort(),
  };
}

/**
 * GitLab's Ci::Bridge (`/pipelines/:id/bridges`): the basic job fields and the pipeline it created (null before
 * it did, or when it could not). `downstream` is that pipeline, newest first when a retry made several.
 */
export function bridgeEntity(bridge: JobRow, downstream: PipelineRow | null, look: Lookups) {
  return { ...jobBasic(bridge, look), downstream_pipeline: downstream ? pipelineBasic(downstream, look) : null };
}

/** GitLab's Entities::Ci::JobBasic: what builds and bridges share. */
function jobBasic(job: JobRow, look: Lookups) {
  const pipeline = look.pipeline(job.pipelineId)!;
  const project = look.project(job.projectId)!;
  const user = look.user(job.userId);
  return {
    id: job.id,
    status: job.status,
    stage: job.stage,
    name: job.name,
    ref: pipeline.ref,
    tag: pipeline.tag,
    coverage: job.coverage,
    allow_failure: job.allowFailure,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    erased_at: null,
    duration: seconds(job.startedAt, job.finishedAt),
    queued_duration: job.queuedAt ? seconds(job.queuedAt, job.startedAt) : null,
    user: user ? userEntity(user, look.baseUrl) : null,
    commit: {
      id: pipeline.sha,
      short_id: pipeline.sha.slice(0, 8),
      created_at: pipeline.commit?.committedAt ?? null,
      parent_ids: pipeline.commit?.parentIds ?? [],
      title: pipeline.commit?.title ?? null,
      message: pipeline.commit?.message ?? null,
      author_name: pipeline.commit?.authorName ?? null,
      author_email: pipeline.commit?.authorEmail ?? null,
      authored_date: pipeline.commit?.authoredAt ?? null,
      committer_name: pipeline.commit?.committerName ?? null,
      committer_email: pipeline.commit?.committerEmail ?? null,
      committed_date: pipeline.commit?.committedAt ?? null,
      web_url: `${look.baseUrl}/${project.namespace}/${project.path}/-/commit/${pipeline.sha}`,
    },
    pipeline: pipelineBasic(pipeline, look),
    ...(job.status === "failed" ? { failure_reason: job.failureReason ?? "unknown_failure" } : {}),
    web_url: `${look.baseUrl}/${project.namespace}/${project.path}/-/jobs/${job.id}`,
    project: { ci_job_token_scope_enabled: false },
  };
}
