// Jobs: lookups (by id, in a project, by CI_JOB_TOKEN), a pipeline's current jobs, the queue's claims, lists.
import { and, asc, count, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { JobStatus } from "../domain/status.ts";
import { type DbHandle, sqliteOf } from "./db.ts";
import { cancelOpenJobs, currentJobsOfPipeline } from "./job-rows.ts";
import { countRows, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import { insertPlannedJobs, type PlannedJobRow } from "./planned-jobs.ts";
import type { JobRow, UserRow } from "./rows.ts";
import { jobs, users } from "./schema.ts";

export type NewJobRow = typeof jobs.$inferInsert;
/** GitLab's job types: a build runs on a runner, a bridge creates a downstream pipeline. */
export type JobKind = JobRow["kind"];

export interface JobListFilters {
  /** The jobs of one pipeline, or of a whole project. */
  of: { pipelineId: number } | { projectId: number };
  statuses?: JobStatus[];
  /** Builds (the default: GitLab's job lists) or bridges (`/pipelines/:id/bridges`). */
  kind?: JobKind;
  includeRetried: boolean;
  newestFirst: boolean;
}

export function createJobsRepository({ db }: { db: DbHandle }) {
  return {
    /** How many jobs are in each status (the metrics). */
    countByStatus: (): { status: JobStatus; n: number }[] =>
      db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status).all(),
    /**
     * Cancels every unfinished current job of the pipeline (or of `only` among them) with one UPDATE, in one
     * transaction. Gives the jobs as they are now and which of them were running (their runners must be told).
     */
    cancelOpenOfPipeline: (pipelineId: number, now: Date, only?: readonly number[]) =>
      cancelOpenJobs(sqliteOf(db), pipelineId, now, only),

    findById: (id: number): JobRow | null => db.select().from(jobs).where(eq(jobs.id, id)).get() ?? null,

    exists: (id: number): boolean => db.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, id)).get() !== undefined,

    /**
     * A job of the project of one of `kinds`: builds only by default (GitLab's job endpoints and pages find builds;
     * playing, canceling and retrying from the graph take bridges too).
     */
    findInProject: (projectId: number, id: number, kinds: JobKind[] = ["build"]): JobRow | null =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.id, id), eq(jobs.projectId, projectId), inArray(jobs.kind, kinds)))
        .get() ?? null,

    /** The job holding this CI_JOB_TOKEN hash, with the user who started it. */
    findWithUserByTokenHash: (hash: string): { job: JobRow; user: UserRow } | null =>
      db
        .select({ job: jobs, user: users })
        .from(jobs)
        .innerJoin(users, eq(users.id, jobs.userId))
        .where(eq(jobs.tokenHash, hash))
        .get() ?? null,

    /** The pipeline's current jobs: the latest try of each (retried ones are history), in id order. */
    currentOfPipeline: (pipelineId: number): JobRow[] => currentJobsOfPipeline(sqliteOf(db), pipelineId),

    /** The current jobs of several pipelines, by stage then id. */
    currentOfPipelines: (pipelineIds: number[]): JobRow[] =>
      pipelineIds.length === 0
        ? []
        : db
            .select()
            .from(jobs)
            .where(and(inArray(jobs.pipelineId, pipelineIds), eq(jobs.retried, false)))
            .orderBy(asc(jobs.stageIdx), asc(jobs.id))
            .all(),

    /** The earlier tries of a pipeline's retried jobs, by stage then id. */
    retriedOfPipeline: (pipelineId: number): JobRow[] =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.pipelineId, pipelineId), eq(jobs.retried, true)))
        .orderBy(asc(jobs.stageIdx), asc(jobs.id))
        .all(),

    /** Every job of the pipeline, retried ones included, by stage then id. */
    allOfPipeline: (pipelineId: number): JobRow[] =>
      db.select().from(jobs).where(eq(jobs.pipelineId, pipelineId)).orderBy(asc(jobs.stageIdx), asc(jobs.id)).all(),

    /** Current delayed jobs waiting for their time. */
    scheduled: (): JobRow[] =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.status, "scheduled"), eq(jobs.retried, false)))
        .all(),

    /** The oldest pending builds (bridges run on no runner), at most `limit`. */
    oldestPending: (limit: number): JobRow[] =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.status, "pending"), eq(jobs.kind, "build")))
        .orderBy(asc(jobs.id))
        .limit(limit)
        .all(),

    /** Current bridges that are pending or running (what a restart must pick up). */
    openBridges: (): JobRow[] =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.kind, "bridge"), eq(jobs.retried, false), inArray(jobs.status, ["pending", "running"])))
        .all(),

    /** The ids of running jobs on these runners. */
    runningOn: (runnerIds: number[]): number[] =>
      db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.status, "running"), inArray(jobs.runnerId, runnerIds)))
        .all()
        .map((r) => r.id),

    insert: (values: NewJobRow): JobRow => db.insert(jobs).values(values).returning().get(),

    /** A new pipeline's jobs, in order (inside the pipeline's transaction): the rows as stored, in order. */
    insertPlanned: (rows: readonly PlannedJobRow[]): JobRow[] => insertPlannedJobs(sqliteOf(db), rows),

    update(id: number, changes: Partial<NewJobRow>): void {
      db.update(jobs).set(changes).where(eq(jobs.id, id)).run();
    },

    /** The same changes to many jobs: one statement per 500 ids (a pipeline's jobs released at once). */
    updateMany(ids: readonly number[], changes: Partial<NewJobRow>): void {
      for (let i = 0; i < ids.length; i += 500)
        db.update(jobs)
          .set(changes)
          .where(inArray(jobs.id, ids.slice(i, i + 500)))
          .run();
    },

    /** Applies `changes` to a job only while it is still pending (the queue's claim). */
    updateIfPending(id: number, changes: Partial<NewJobRow>): void {
      db.update(jobs)
        .set(changes)
        .where(and(eq(jobs.id, id), eq(jobs.status, "pending")))
        .run();
    },

    /** Skipped jobs become `created` again, to run after a retried job. */
    reopen(ids: number[]): void {
      if (ids.length === 0) return;
      db.update(jobs).set({ status: "created", finishedAt: null }).where(inArray(jobs.id, ids)).run();
    },

    count: (): number => countRows(db, jobs),

    page(f: JobListFilters, page: PageWindow): PageOf<JobRow> {
      const conditions: SQL[] = [
        "pipelineId" in f.of ? eq(jobs.pipelineId, f.of.pipelineId) : eq(jobs.projectId, f.of.projectId),
        eq(jobs.kind, f.kind ?? "build"),
      ];
      if (f.statuses) conditions.push(inArray(jobs.status, f.statuses));
      if (!f.includeRetried) conditions.push(eq(jobs.retried, false));
      const where = and(...conditions);
      const query = db
        .select()
        .from(jobs)
        .where(where)
        .orderBy(f.newestFirst ? desc(jobs.id) : asc(jobs.id));
      return paginate(db, query, { table: jobs, where }, page);
    },
  };
}
