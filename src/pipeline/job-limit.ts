// The per-pipeline job limit (`limits.max_jobs_per_pipeline`): counting a config's jobs and the refusal's wording.
import type { ConfigDef } from "./config/model.ts";
import { RESERVED } from "./config/root.ts";

/** Jobs the config makes before rules: each `parallel` job counts once per instance. */
export function countConfigJobs(config: ConfigDef): number {
  return config.jobs.reduce((sum, job) => sum + (job.parallel?.length ?? 1), 0);
}

/** The refusal for a pipeline of `count` jobs over `max`, naming both numbers and the setting. */
export function jobLimitMessage(count: number, max: number): string {
  return `The pipeline has ${count} jobs, more than the limit of ${max} (limits.max_jobs_per_pipeline)`;
}

/** A top-level key in block style: `name:`, `"name":` or `'name':`, followed by a space or the line's end. */
const TOP_LEVEL_KEY = /^(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_.$/][^:#]*?))[ \t]*:(?:[ \t]|$)/;

/**
 * The jobs of a plain CI file counted from its text alone, without parsing it: one per top-level key that is not a
 * keyword or hidden. `null` when the count could be wrong — `parallel`, `include`, merge keys, duplicate keys,
 * flow style, several documents or anything else unusual at the top level — so that the full compile decides.
 * Lets a file far over the limit be refused before the parse that would cost seconds and hundreds of megabytes.
 */
export function countPlainJobs(text: string): number | null {
  if (/\bparallel\s*:/.test(text)) return null;
  const keys = new Set<string>();
  let jobs = 0;
  for (const line of text.split("\n")) {
    if (line === "" || line[0] === " " || line[0] === "#" || line.trim() === "") continue;
    const match = TOP_LEVEL_KEY.exec(line);
    if (!match) return null;
    const key = (match[1] ?? match[2] ?? match[3] ?? "").trimEnd();
    if (keys.has(key) || key === "include") return null;
    keys.add(key);
    if (!key.startsWith(".") && !RESERVED.has(key)) jobs++;
  }
  return jobs;
}
