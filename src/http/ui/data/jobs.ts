// Job queries for the pages: a project's jobs, a job's runner, its pipeline's other jobs, its variables' names.

import type { JobStatus } from "../../../domain/status.ts";
import type { Db } from "../../../store/db.ts";
import { repositoriesOf } from "../../../store/repositories.ts";
import type { JobRow, PipelineRow, RunnerRow } from "../../../store/rows.ts";

export function findRunner(db: Db, id: number | null): RunnerRow | null {
  return id === null ? null : repositoriesOf(db).runners.findById(id);
}

/** All jobs of a pipeline including retried ones (the job page lists the current ones of its stage). */
export function pipelineJobs(db: Db, pipelineId: number): JobRow[] {
  return repositoriesOf(db).jobs.allOfPipeline(pipelineId);
}

/** The earlier tries of the pipeline's retried jobs (listed collapsed on its page). */
export function retriedPipelineJobs(db: Db, pipelineId: number): JobRow[] {
  return repositoriesOf(db).jobs.retriedOfPipeline(pipelineId);
}

/**
 * The names (never values) of the variables the job sees beyond the predefined ones: YAML (global and job),
 * project and pipeline variables, in GitLab's precedence order, without duplicates.
 */
export function variableNames(
  db: Db,
  job: JobRow,
  pipeline: { variables: { key: string }[]; yamlVariables: { key: string }[] },
): string[] {
  const project = repositoriesOf(db).variables.ofProject(job.projectId);
  const names = [...pipeline.yamlVariables, ...job.spec.variables, ...project, ...pipeline.variables].map((v) => v.key);
  return [...new Set(names)].sort();
}

/** One page of a project's current (not retried) jobs, newest first, each with its pipeline; `status` filters. */
export function listProjectJobs(
  db: Db,
  projectId: number,
  status: JobStatus | undefined,
  page: { page: number; perPage: number },
): { items: { job: JobRow; pipeline: PipelineRow | null }[]; total: number } {
  const repos = repositoriesOf(db);
  const { rows, total } = repos.jobs.page(
    { of: { projectId }, statuses: status ? [status] : undefined, includeRetried: false, newestFirst: true },
    { perPage: page.perPage, offset: (page.page - 1) * page.perPage },
  );
  return { items: rows.map((job) => ({ job, pipeline: repos.pipelines.findById(job.pipelineId) })), total };
}
