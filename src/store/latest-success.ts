// The latest successful pipeline of a ref: whose artifacts are kept past expiry, and where by-ref downloads look.
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./db.ts";
import type { JobRow } from "./rows.ts";
import { jobs, pipelines } from "./schema.ts";

/** GitLab's "keep artifacts from the latest successful pipeline": the job is in the newest successful one of its ref. */
export function inLatestSuccessfulPipeline(db: Db, jobId: number): boolean {
  const job = db.select({ pipelineId: jobs.pipelineId }).from(jobs).where(eq(jobs.id, jobId)).get();
  const pipeline = job && db.select().from(pipelines).where(eq(pipelines.id, job.pipelineId)).get();
  if (!pipeline) return false;
  const newest = db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(
      and(
        eq(pipelines.projectId, pipeline.projectId),
        eq(pipelines.ref, pipeline.ref),
        eq(pipelines.status, "success"),
      ),
    )
    .orderBy(desc(pipelines.id))
    .get();
  return newest?.id === pipeline.id;
}

/** The newest successful pipeline's job named `name` on `ref` (GitLab's `jobs/artifacts/:ref/download?job=`). */
export function latestSuccessfulJob(db: Db, projectId: number, ref: string, name: string): JobRow | undefined {
  return db
    .select({ job: jobs })
    .from(jobs)
    .innerJoin(pipelines, eq(pipelines.id, jobs.pipelineId))
    .where(
      and(
        eq(pipelines.projectId, projectId),
        eq(pipelines.ref, ref),
        eq(pipelines.status, "success"),
        eq(jobs.name, name),
        eq(jobs.status, "success"),
      ),
    )
    .orderBy(desc(pipelines.id), desc(jobs.id))
    .get()?.job;
}
