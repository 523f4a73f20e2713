// Pipeline queries for the pages: filtered, paginated lists with stage summaries, and one pipeline with its jobs.
import { compositeStatus, JOB_STATUSES, type JobStatus } from "../../../domain/status.ts";
import type { Db } from "../../../store/db.ts";
import type { PipelineWithUser } from "../../../store/pipelines.ts";
import { repositoriesOf } from "../../../store/repositories.ts";
import type { JobRow, PipelineRow, UserRow } from "../../../store/rows.ts";

export interface StageSummary {
  name: string;
  status: JobStatus;
}

export interface PipelineListItem {
  pipeline: PipelineRow;
  user: Pick<UserRow, "username" | "name"> | null;
  stages: StageSummary[];
}

export interface PipelineFilters {
  status?: JobStatus;
  ref?: string;
}

/** A status filter value from the query string, or undefined when it is not one of GitLab's statuses. */
export function statusFilter(raw: string | undefined): JobStatus | undefined {
  return JOB_STATUSES.find((s) => s === raw);
}

/** The current (not retried) jobs of pipelines, ordered by stage then id. */
export function currentJobs(db: Db, pipelineIds: number[]): JobRow[] {
  return repositoriesOf(db).jobs.currentOfPipelines(pipelineIds);
}

/** Stages in order with their composite status (GitLab's rules, allow_failure included). */
export function stageSummaries(pipelineJobs: JobRow[]): StageSummary[] {
  const byStage = new Map<string, JobRow[]>();
  for (const j of [...pipelineJobs].sort((a, b) => a.stageIdx - b.stageIdx))
    byStage.set(j.stage, [...(byStage.get(j.stage) ?? []), j]);
  return [...byStage].map(([name, list]) => ({ name, status: compositeStatus(list) }));
}

export function listPipelines(
  db: Db,
  projectId: number,
  filters: PipelineFilters,
  page: { page: number; perPage: number },
): { items: PipelineListItem[]; total: number } {
  const { rows, total } = repositoriesOf(db).pipelines.pageWithUsers(
    projectId,
    { status: filters.status, ref: filters.ref },
    { perPage: page.perPage, offset: (page.page - 1) * page.perPage },
  );
  const allJobs = currentJobs(
    db,
    rows.map((r) => r.pipeline.id),
  );
  const items = rows.map((r: PipelineWithUser) => ({
    ...r,
    stages: stageSummaries(allJobs.filter((j) => j.pipelineId === r.pipeline.id)),
  }));
  return { items, total };
}

export function findUser(db: Db, id: number | null): UserRow | null {
  return id === null ? null : repositoriesOf(db).users.findById(id);
}

/** The project's branches and tags that have pipelines, most recent first (for the ref filter and Run pipeline). */
export function knownRefs(db: Db, projectId: number, limit = 50): string[] {
  return repositoriesOf(db).pipelines.knownRefs(projectId, limit);
}
