// The jobs one job definition becomes (`parallel`), and the instance names a `needs` entry stands for.
import type { JobDef, NeedDef } from "../config/model.ts";
import { matrixInstances } from "../config/parallel.ts";
import type { YamlVariable } from "../types.ts";

export interface Instance {
  name: string;
  variables: YamlVariable[];
  parallel?: { index: number; total: number };
}

/** `job` itself, or `job 1/3` … / `job: [a, b]` … for a parallel job. */
export function instancesOf(job: JobDef): Instance[] {
  const parallel = job.parallel;
  if (!parallel) return [{ name: job.name, variables: [] }];
  return parallel.map((p, i) => ({
    name: `${job.name}${p.suffix}`,
    variables: p.variables,
    parallel: { index: i + 1, total: parallel.length },
  }));
}

/** Instance names a need means: all instances of a parallel job, or those its `parallel:matrix` selects. */
export function neededNames(need: NeedDef, jobs: ReadonlyMap<string, JobDef>): string[] {
  if (need.matrix) return matrixInstances(need.matrix).map((i) => `${need.job}${i.suffix}`);
  const target = jobs.get(need.job);
  return target ? instancesOf(target).map((i) => i.name) : [need.job];
}
