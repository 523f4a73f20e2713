// Project lists for the dashboard: what the user can see, with each project's latest pipeline.
import { and, desc, inArray, sql } from "drizzle-orm";
import type { Actor } from "../../../auth/actor.ts";
import { visibleProjects } from "../../../auth/permissions.ts";
import type { Db } from "../../../store/db.ts";
import type { PipelineRow, ProjectRow } from "../../../store/rows.ts";
import { pipelines, projects } from "../../../store/schema.ts";

export interface ProjectListItem {
  project: ProjectRow;
  lastPipeline: PipelineRow | null;
}

/** One page of the projects `actor` can see, most recently active first, filtered by name when `search` is set. */
export function listProjectsWithStatus(
  db: Db,
  actor: Actor | null,
  opts: { search?: string; page: number; perPage: number },
): { items: ProjectListItem[]; total: number } {
  const conditions = [visibleProjects(actor)];
  if (opts.search) {
    const like = `%${opts.search.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(
      sql`(lower(${projects.name}) LIKE ${like} ESCAPE '\\' OR lower(${projects.path}) LIKE ${like} ESCAPE '\\')`,
    );
  }
  const where = and(...conditions);
  const rows = db
    .select({
      project: projects,
      lastId: sql<number | null>`(SELECT max(id) FROM pipelines WHERE project_id = ${projects.id})`,
    })
    .from(projects)
    .where(where)
    .orderBy(desc(sql`coalesce(${projects.lastActivityAt}, ${projects.createdAt})`), desc(projects.id))
    .limit(opts.perPage)
    .offset((opts.page - 1) * opts.perPage)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(projects).where(where).get()?.n ?? 0;
  const ids = rows.map((r) => r.lastId).filter((id): id is number => id !== null);
  const latest = new Map(
    ids.length
      ? db
          .select()
          .from(pipelines)
          .where(inArray(pipelines.id, ids))
          .all()
          .map((p) => [p.id, p])
      : [],
  );
  return {
    items: rows.map((r) => ({ project: r.project, lastPipeline: r.lastId ? (latest.get(r.lastId) ?? null) : null })),
    total,
  };
}

/** The latest pipeline for `ref` (for the status badge), or null. */
export function latestPipelineForRef(db: Db, projectId: number, ref: string): PipelineRow | null {
  return (
    db
      .select()
      .from(pipelines)
      .where(and(sql`${pipelines.projectId} = ${projectId}`, sql`${pipelines.ref} = ${ref}`))
      .orderBy(desc(pipelines.id))
      .limit(1)
      .get() ?? null
  );
}
