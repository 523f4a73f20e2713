// Pipelines: lookups, the filtered and paginated lists of a project, refs with pipelines, status changes, deletion.
import { and, asc, desc, eq, inArray, lt, ne, notInArray, type SQL, sql } from "drizzle-orm";
import type { JobStatus, PipelineStatus } from "../domain/status.ts";
import type { DbHandle } from "./db.ts";
import { countRows, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { PipelineRow, UserRow } from "./rows.ts";
import { jobs, pipelines, users } from "./schema.ts";

export type NewPipelineRow = typeof pipelines.$inferInsert;

export interface PipelineListFilters {
  statuses?: PipelineStatus[];
  status?: PipelineStatus;
  /** Only tag pipelines (true) or branch pipelines (false). */
  tag?: boolean;
  source?: string;
  ref?: string;
  sha?: string;
  userId?: number;
}

export type PipelineOrder = "id" | "status" | "ref" | "updated_at" | "user_id";

export interface PipelineWithUser {
  pipeline: PipelineRow;
  user: Pick<UserRow, "username" | "name"> | null;
}

function filterWhere(projectId: number, f: PipelineListFilters): SQL | undefined {
  return and(
    eq(pipelines.projectId, projectId),
    f.tag === undefined ? undefined : eq(pipelines.tag, f.tag),
    f.statuses ? inArray(pipelines.status, f.statuses) : undefined,
    f.status ? eq(pipelines.status, f.status) : undefined,
    f.source ? eq(pipelines.source, f.source) : undefined,
    // GitLab's lists leave child pipelines out (they show under their parent) unless asked for by source.
    f.source === "parent_pipeline" ? undefined : ne(pipelines.source, "parent_pipeline"),
    f.ref ? eq(pipelines.ref, f.ref) : undefined,
    f.sha ? eq(pipelines.sha, f.sha) : undefined,
    f.userId === undefined ? undefined : eq(pipelines.userId, f.userId),
  );
}

export function createPipelinesRepository({ db }: { db: DbHandle }) {
  return {
    /** Pipelines ever created, deleted ones included: the AUTOINCREMENT counter of their ids (the metrics). */
    createdCount: (): number =>
      db.all<{ seq: number }>(sql`SELECT seq FROM sqlite_sequence WHERE name = 'pipelines'`)[0]?.seq ?? 0,
    findById: (id: number): PipelineRow | null => db.select().from(pipelines).where(eq(pipelines.id, id)).get() ?? null,

    findInProject: (projectId: number, id: number): PipelineRow | null =>
      db
        .select()
        .from(pipelines)
        .where(and(eq(pipelines.id, id), eq(pipelines.projectId, projectId)))
        .get() ?? null,

    findMany: (ids: number[]): PipelineRow[] =>
      ids.length === 0 ? [] : db.select().from(pipelines).where(inArray(pipelines.id, ids)).all(),

    insert: (values: NewPipelineRow): PipelineRow => db.insert(pipelines).values(values).returning().get(),

    update(id: number, changes: Partial<NewPipelineRow>): void {
      db.update(pipelines).set(changes).where(eq(pipelines.id, id)).run();
    },

    /** Deletes the pipeline and its jobs with two set-based statements in one transaction. */
    delete(id: number): void {
      db.transaction((tx) => {
        tx.delete(jobs).where(eq(jobs.pipelineId, id)).run();
        tx.delete(pipelines).where(eq(pipelines.id, id)).run();
      });
    },

    count: (): number => countRows(db, pipelines),

    /** The ids of the project's pipelines in one of `statuses`. */
    idsWithStatus: (projectId: number, statuses: JobStatus[]): number[] =>
      db
        .select({ id: pipelines.id })
        .from(pipelines)
        .where(and(eq(pipelines.projectId, projectId), inArray(pipelines.status, statuses)))
        .all()
        .map((r) => r.id),

    /** The pipelines these bridges created (GitLab's `downstream_pipeline`), newest first. */
    downstreamOf: (bridgeIds: number[]): PipelineRow[] =>
      bridgeIds.length === 0
        ? []
        : db
            .select()
            .from(pipelines)
            .where(inArray(pipelines.upstreamJobId, bridgeIds))
            .orderBy(desc(pipelines.id))
            .all(),

    /** The pipelines the bridges of these pipelines created (children and multi-project downstreams). */
    downstreamOfPipelines: (pipelineIds: number[]): PipelineRow[] =>
      pipelineIds.length === 0
        ? []
        : db.select().from(pipelines).where(inArray(pipelines.upstreamPipelineId, pipelineIds)).all(),

    /** The latest pipeline for `ref`, or null; child pipelines are part of their parent, not a ref's pipeline. */
    latestForRef: (projectId: number, ref: string): PipelineRow | null =>
      db
        .select()
        .from(pipelines)
        .where(and(eq(pipelines.projectId, projectId), eq(pipelines.ref, ref), ne(pipelines.source, "parent_pipeline")))
        .orderBy(desc(pipelines.id))
        .limit(1)
        .get() ?? null,

    /** The project's refs that have pipelines, most recent first. */
    knownRefs: (projectId: number, limit: number): string[] =>
      db
        .select({ ref: pipelines.ref })
        .from(pipelines)
        .where(eq(pipelines.projectId, projectId))
        .groupBy(pipelines.ref)
        .orderBy(desc(sql`max(${pipelines.id})`))
        .limit(limit)
        .all()
        .map((r) => r.ref),

    /** A page of the project's pipelines matching `f`, in `order` then by id (the API). */
    page(
      projectId: number,
      f: PipelineListFilters,
      order: { by: PipelineOrder; sort: "asc" | "desc" },
      page: PageWindow,
    ): PageOf<PipelineRow> {
      const where = filterWhere(projectId, f);
      const column = {
        id: pipelines.id,
        status: pipelines.status,
        ref: pipelines.ref,
        updated_at: pipelines.updatedAt,
        user_id: pipelines.userId,
      }[order.by];
      const direction = order.sort === "asc" ? asc : desc;
      const query = db.select().from(pipelines).where(where).orderBy(direction(column), direction(pipelines.id));
      return paginate(db, query, { table: pipelines, where }, page);
    },

    /** A page of the project's pipelines matching `f`, newest first, with who started each (the pages). */
    pageWithUsers(projectId: number, f: PipelineListFilters, page: PageWindow): PageOf<PipelineWithUser> {
      const where = filterWhere(projectId, f);
      const query = db
        .select({ pipeline: pipelines, username: users.username, name: users.name })
        .from(pipelines)
        .leftJoin(users, eq(users.id, pipelines.userId))
        .where(where)
        .orderBy(desc(pipelines.id));
      const { rows, total } = paginate(db, query, { table: pipelines, where }, page);
      return {
        rows: rows.map((r) => ({
          pipeline: r.pipeline,
          user: r.username ? { username: r.username, name: r.name ?? r.username } : null,
        })),
        total,
      };
    },

    /** Auto-cancel: the project's unfinished pipelines on `pipeline`'s ref, created before it, for another commit. */
    olderLiveOnRef: (pipeline: PipelineRow): PipelineRow[] =>
      db
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
        .all(),
  };
}
