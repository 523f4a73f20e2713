// The per-pipeline job limit (`limits.max_jobs_per_pipeline`): counting a config's jobs and the refusal's wording.
import type { ConfigDef } from "./config/model.ts";

/** Jobs the config makes before rules: each `parallel` job counts once per instance. */
export function countConfigJobs(config: ConfigDef): number {
  return config.jobs.reduce((sum, job) => sum + (job.parallel?.length ?? 1), 0);
}

/** The refusal for a pipeline of `count` jobs over `max`, naming both numbers and the setting. */
export function jobLimitMessage(count: number, max: number): string {
  return `The pipeline has ${count} jobs, more than the limit of ${max} (limits.max_jobs_per_pipeline)`;
}
