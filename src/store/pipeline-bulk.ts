// Set-based writes over a whole pipeline's jobs: cancel every open job and delete a pipeline, each in one transaction.
import { and, eq, notInArray } from "drizzle-orm";
import type { Db } from "./db.ts";
import type { JobRow } from "./rows.ts";
import { jobs, pipelines } from "./schema.ts";

const FINISHED = ["success", "failed", "canceled", "skipped"] as const;

export interface CanceledJobs {
  /** The jobs as they are now (canceled). */
  jobs: JobRow[];
  /** Which of them were running (their runners must be told). */
  wereRunning: number[];
}

/** Cancels every unfinished current job of the pipeline with one UPDATE. */
export function cancelOpenJobs(db: Db, pipelineId: number, now: Date): CanceledJobs {
  return db.transaction((tx) => {
    const open = and(eq(jobs.pipelineId, pipelineId), eq(jobs.retried, false), notInArray(jobs.status, [...FINISHED]));
    const wereRunning = tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(open, eq(jobs.status, "running")))
      .all()
      .map((j) => j.id);
    const canceled = tx.update(jobs).set({ status: "canceled", finishedAt: now }).where(open).returning().all();
    return { jobs: canceled, wereRunning };
  });
}

/** Deletes the pipeline; its jobs, logs and terminal records go with it (foreign keys cascade). */
export function deletePipelineRow(db: Db, pipelineId: number): void {
  db.transaction((tx) => {
    tx.delete(jobs).where(eq(jobs.pipelineId, pipelineId)).run();
    tx.delete(pipelines).where(eq(pipelines.id, pipelineId)).run();
  });
}
