// Job log bytes in SQLite: chunks keyed by offset, and the job's stored log size beside them.
import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { jobs, traceChunks } from "./schema.ts";

export function createTraceChunksRepository({ db }: { db: DbHandle }) {
  return {
    /** Bytes stored for the job (0 for an unknown job). */
    storedSize: (jobId: number): number =>
      db.select({ size: jobs.traceSize }).from(jobs).where(eq(jobs.id, jobId)).get()?.size ?? 0,

    /** Stores `data` at `offset` and moves the job's stored size past it, at once. Throws when the job is gone. */
    append(jobId: number, offset: number, data: Buffer): void {
      db.transaction((tx) => {
        tx.insert(traceChunks).values({ jobId, offset, data }).run();
        tx.update(jobs)
          .set({ traceSize: sql`${offset + data.length}` })
          .where(eq(jobs.id, jobId))
          .run();
      });
    },

    /** The chunks holding bytes at `from` and after, in order. */
    chunksFrom(jobId: number, from: number): { offset: number; data: Buffer }[] {
      const first =
        db
          .select({ offset: sql<number>`max(${traceChunks.offset})` })
          .from(traceChunks)
          .where(and(eq(traceChunks.jobId, jobId), sql`${traceChunks.offset} <= ${from}`))
          .get()?.offset ?? 0;
      return db
        .select({ offset: traceChunks.offset, data: traceChunks.data })
        .from(traceChunks)
        .where(and(eq(traceChunks.jobId, jobId), gte(traceChunks.offset, first)))
        .orderBy(asc(traceChunks.offset))
        .all();
    },
  };
}
