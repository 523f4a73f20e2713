// Pipeline queries for the pages: filtered, paginated lists with stage summaries, and one pipeline with its jobs.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { compositeStatus, JOB_STATUSES, type JobStatus } from "../../../domain/status.ts";
import type { Db } from "../../../store/db.ts";
import type { JobRow, PipelineRow, UserRow } from "../../../store/rows.ts";
import { jobs, pipelines, users } from "../../../store/schema.ts";

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
  if (pipelineIds.length === 0) return [];
  return db
    .select()
    .from(jobs)
    .where(and(inArray(jobs.pipelineId, pipelineIds), eq(jobs.retried, false)))
    .orderBy(asc(jobs.stageIdx), asc(jobs.id))
    .all();
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
  const where = and(
    eq(pipelines.projectId, projectId),
    filters.status ? eq(pipelines.status, filters.status) : undefined,
    filters.ref ? eq(pipelines.ref, filters.ref) : undefined,
  );
  const rows = db
    .select({ pipeline: pipelines, username: users.username, name: users.name })
    .from(pipelines)
    .leftJoin(users, eq(users.id, pipelines.userId))
    .where(where)
    .orderBy(desc(pipelines.id))
    .limit(page.perPage)
    .offset((page.page - 1) * page.perPage)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(pipelines).where(where).get()?.n ?? 0;
  const allJobs = currentJobs(
    db,
    rows.map((r) => r.pipeline.id),
  );
  const items = rows.map((r) => ({
    pipeline: r.pipeline,
    user: r.username ? { username: r.username, name: r.name ?? r.username } : null,
    stages: stageSummaries(allJobs.filter((j) => j.pipelineId === r.pipeline.id)),
  }));
  return { items, total };
}

export function findPipeline(db: Db, projectId: number, id: number): PipelineRow | null {
  if (!Number.isSafeInteger(id)) return null;
  return (
    db
      .select()
      .from(pipelines)
      .where(and(eq(pipelines.id, id), eq(pipelines.projectId, projectId)))
      .get() ?? null
  );
}

export function findUser(db: Db, id: number | null): UserRow | null {
  return id === null ? null : (db.select().from(users).where(eq(users.id, id)).get() ?? null);
}

/** The project's branches and tags that have pipelines, most recent first (for the ref filter and Run pipeline). */
export function knownRefs(db: Db, projectId: number, limit = 50): string[] {
  return db
    .select({ ref: pipelines.ref })
    .from(pipelines)
    .where(eq(pipelines.projectId, projectId))
    .groupBy(pipelines.ref)
    .orderBy(desc(sql`max(${pipelines.id})`))
    .limit(limit)
    .all()
    .map((r) => r.ref);
}
