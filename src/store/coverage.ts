// Coverage figures: a pipeline's is the average of its current jobs' (GitLab's Ci::Pipeline#coverage).
import { and, avg, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "./db.ts";
import { jobs, pipelines } from "./schema.ts";

/** The average coverage of the pipeline's current jobs that report one, or null. */
export function pipelineCoverage(db: Db, pipelineId: number): number | null {
  const row = db
    .select({ value: avg(jobs.coverage) })
    .from(jobs)
    .where(and(eq(jobs.pipelineId, pipelineId), eq(jobs.retried, false), isNotNull(jobs.coverage)))
    .get();
  return row?.value === null || row?.value === undefined ? null : Number(row.value);
}

/** The coverage of the newest pipeline on `ref` that has one (`job`: only that job's), for the badge. */
export function latestCoverage(db: Db, projectId: number, ref: string, job?: string): number | null {
  const rows = db
    .select({ pipelineId: pipelines.id, name: jobs.name, coverage: jobs.coverage })
    .from(jobs)
    .innerJoin(pipelines, eq(pipelines.id, jobs.pipelineId))
    .where(
      and(
        eq(pipelines.projectId, projectId),
        eq(pipelines.ref, ref),
        eq(jobs.retried, false),
        isNotNull(jobs.coverage),
      ),
    )
    .orderBy(desc(pipelines.id))
    .all()
    .filter((r) => job === undefined || r.name === job);
  const newest = rows[0]?.pipelineId;
  const values = rows.filter((r) => r.pipelineId === newest).map((r) => r.coverage!);
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}
