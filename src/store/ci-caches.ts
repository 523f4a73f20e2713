// Queries for auto-cancel and runner caches: a ref's older live pipelines, the project's cache index.
import { and, eq, lt, ne, notInArray, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import type { PipelineRow } from "./rows.ts";
import { pipelines, projects } from "./schema.ts";

/** Pipelines of the same project and ref, created before `pipeline` for another commit, that have not finished. */
export function olderLivePipelinesOnRef(db: Db, pipeline: PipelineRow): PipelineRow[] {
  return db
    .select()
    .from(pipelines)
    .where(
      and(
        eq(pipelines.projectId, pipeline.projectId),
        eq(pipelines.ref, pipeline.ref),
        eq(pipelines.tag, pipeline.tag),
        lt(pipelines.id, pipeline.id),
        ne(pipelines.sha, pipeline.sha),
        notInArray(pipelines.status, ["success", "failed", "canceled", "skipped"]),
      ),
    )
    .all();
}

/** "Clear runner caches": bumps the index every cache key of the project ends in. Returns the new index. */
export function bumpJobsCacheIndex(db: Db, projectId: number): number | null {
  const row = db
    .update(projects)
    .set({ jobsCacheIndex: sql`${projects.jobsCacheIndex} + 1` })
    .where(eq(projects.id, projectId))
    .returning({ index: projects.jobsCacheIndex })
    .get();
  return row?.index ?? null;
}
