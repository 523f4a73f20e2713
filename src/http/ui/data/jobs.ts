// Job queries for the pages: its runner, its pipeline's other jobs, its variables' names.
import type { Db } from "../../../store/db.ts";
import { repositoriesOf } from "../../../store/repositories.ts";
import type { JobRow, RunnerRow } from "../../../store/rows.ts";

export function findRunner(db: Db, id: number | null): RunnerRow | null {
  return id === null ? null : repositoriesOf(db).runners.findById(id);
}

/** All jobs of a pipeline including retried ones (the job page lists the current ones of its stage). */
export function pipelineJobs(db: Db, pipelineId: number): JobRow[] {
  return repositoriesOf(db).jobs.allOfPipeline(pipelineId);
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
  const project = repositoriesOf(db).variables.ofProject(job.projectId);
  const names = [...pipeline.yamlVariables, ...job.spec.variables, ...project, ...pipeline.variables].map((v) => v.key);
  return [...new Set(names)].sort();
}
