// Job log bytes in SQLite: chunks keyed by offset, and the job's stored log size beside them.
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { jobs, traceChunks } from "./schema.ts";

/** Prepared once per repository: building and preparing the two statements per job cost more than running them. */
function prepareAppend(db: DbHandle) {
  return {
    setSize: db
      .update(jobs)
      .set({ traceSize: sql`${sql.placeholder("size")}` })
      .where(eq(jobs.id, sql.placeholder("jobId")))
      .returning({ id: jobs.id })
      .prepare(),
    insertChunk: db
      .insert(traceChunks)
      .values({ jobId: sql.placeholder("jobId"), offset: sql.placeholder("offset"), data: sql.placeholder("data") })
      .prepare(),
  };
}

export function createTraceChunksRepository({ db }: { db: DbHandle }) {
  let statements: ReturnType<typeof prepareAppend> | undefined;
  return {
    /** Bytes stored for the job (0 for an unknown job). */
    storedSize: (jobId: number): number =>
      db.select({ size: jobs.traceSize }).from(jobs).where(eq(jobs.id, jobId)).get()?.size ?? 0,

    /**
     * Stores each entry's bytes at its offset and moves each job's stored size past them, all in one transaction
     * (group commit). Gives back the ids of jobs that no longer exist (deleted while they wrote): nothing is stored
     * for them. Throws, storing nothing, when the transaction fails.
     */
    appendBatch(batch: readonly { jobId: number; offset: number; data: Uint8Array }[]): Set<number> {
      statements ??= prepareAppend(db);
      const { setSize, insertChunk } = statements;
      const gone = new Set<number>();
      db.transaction(() => {
        for (const { jobId, offset, data } of batch) {
          if (!setSize.get({ size: offset + data.length, jobId })) gone.add(jobId);
          else insertChunk.run({ jobId, offset, data });
        }
      });
      return gone;
    },

    /** The chunks holding bytes at `from` and after (before `to` when given), in order. */
    chunksFrom(jobId: number, from: number, to = Number.MAX_SAFE_INTEGER): { offset: number; data: Buffer }[] {
      const first =
        db
          .select({ offset: sql<number>`max(${traceChunks.offset})` })
          .from(traceChunks)
          .where(and(eq(traceChunks.jobId, jobId), sql`${traceChunks.offset} <= ${from}`))
          .get()?.offset ?? 0;
      return db
        .select({ offset: traceChunks.offset, data: traceChunks.data })
        .from(traceChunks)
        .where(and(eq(traceChunks.jobId, jobId), gte(traceChunks.offset, first), lt(traceChunks.offset, to)))
        .orderBy(asc(traceChunks.offset))
        .all();
    },
  };
}
