// Pipeline queries for the pages: filtered, paginated lists with stage summaries, and one pipeline with its jobs.
import { JOB_STATUSES, type JobStatus, stageStatus } from "../../../domain/status.ts";
import type { Db } from "../../../store/db.ts";
import type { PipelineWithUser } from "../../../store/pipelines.ts";
import { repositoriesOf } from "../../../store/repositories.ts";
import type { JobRow, PipelineRow, ProjectRow, UserRow } from "../../../store/rows.ts";

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
  return [...byStage].map(([name, list]) => ({ name, status: stageStatus(list) }));
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

/** A pipeline another one is linked to (downstream of a bridge, or upstream of a triggered one), for the pages. */
export interface LinkedPipeline {
  pipeline: PipelineRow;
  project: ProjectRow;
}

/**
 * The pipeline each bridge created (the newest when a retry made several), by bridge id; only those in projects
 * `canSee` allows (another project's pipeline the viewer may not read is left out).
 */
export function downstreamPipelines(
  db: Db,
  bridges: readonly JobRow[],
  canSee: (projectId: number) => boolean,
): Map<number, LinkedPipeline> {
  const repos = repositoriesOf(db);
  const out = new Map<number, LinkedPipeline>();
  for (const pipeline of repos.pipelines.downstreamOf(bridges.map((b) => b.id))) {
    if (pipeline.upstreamJobId === null || out.has(pipeline.upstreamJobId) || !canSee(pipeline.projectId)) continue;
    const project = repos.projects.findById(pipeline.projectId);
    if (project) out.set(pipeline.upstreamJobId, { pipeline, project });
  }
  return out;
}

/** The pipeline whose bridge created `pipeline`, with that bridge's name, if there is one the viewer may see. */
export function upstreamPipeline(
  db: Db,
  pipeline: PipelineRow,
  canSee: (projectId: number) => boolean,
): (LinkedPipeline & { bridgeName: string }) | null {
  if (pipeline.upstreamPipelineId === null) return null;
  const repos = repositoriesOf(db);
  const upstream = repos.pipelines.findById(pipeline.upstreamPipelineId);
  if (!upstream || !canSee(upstream.projectId)) return null;
  const project = repos.projects.findById(upstream.projectId);
  const bridge = pipeline.upstreamJobId === null ? null : repos.jobs.findById(pipeline.upstreamJobId);
  return project ? { pipeline: upstream, project, bridgeName: bridge?.name ?? "" } : null;
}
