// Job queries for the pages: one job in its project, its runner, its pipeline's other jobs, its variables' names.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../../store/db.ts";
import type { JobRow, RunnerRow } from "../../../store/rows.ts";
import { jobs, runners, variables } from "../../../store/schema.ts";

export function findJob(db: Db, projectId: number, id: number): JobRow | null {
  return (
    db
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), eq(jobs.projectId, projectId)))
      .get() ?? null
  );
}

export function findRunner(db: Db, id: number | null): RunnerRow | null {
  return id === null ? null : (db.select().from(runners).where(eq(runners.id, id)).get() ?? null);
}

/** All jobs of a pipeline including retried ones (the job page lists the current ones of its stage). */
export function pipelineJobs(db: Db, pipelineId: number): JobRow[] {
  return db.select().from(jobs).where(eq(jobs.pipelineId, pipelineId)).orderBy(asc(jobs.stageIdx), asc(jobs.id)).all();
}

/**
 * The names (never values) of the variables the job sees beyond the predefined ones: YAML (global and job),
 * project and pipeline variables, in GitLab's precedence order, without duplicates.
 */
export function variableNames(
  db: Db,
  job: JobRow,
  pipeline: { variables: { key: string }[]; yamlVariables: { key: string }[] },
): string[] {
  const project = db.select({ key: variables.key }).from(variables).where(eq(variables.projectId, job.projectId)).all();
  const names = [...pipeline.yamlVariables, ...job.spec.variables, ...project, ...pipeline.variables].map((v) => v.key);
  return [...new Set(names)].sort();
}
