// Resolves `needs` once the pipeline's jobs are known: optional needs on absent jobs drop out, others must exist.
import type { JobDef, NeedDef } from "../config/model.ts";
import type { Problems } from "../errors.ts";
import { neededNames } from "../logic/instances.ts";
import type { NeedSpec } from "../types.ts";

/** GitLab's default limit on the needs of one job. */
export const MAX_NEEDS = 50;

/**
 * The plan's needs for `jobName`: a need on a whole (possibly parallel) job by its base name, a need narrowed by
 * `parallel:matrix` by instance names. A missing non-optional need is reported with GitLab's message.
 */
export function resolveNeeds(
  jobName: string,
  needs: readonly NeedDef[],
  jobs: ReadonlyMap<string, JobDef>,
  present: ReadonlySet<string>,
  p: Problems,
): NeedSpec[] {
  const out: NeedSpec[] = [];
  const spec = (job: string, need: NeedDef): NeedSpec =>
    need.artifacts === false ? { job, optional: need.optional, artifacts: false } : { job, optional: need.optional };
  for (const need of needs) {
    const names = neededNames(need, jobs);
    const missing = names.filter((name) => !present.has(name));
    if (missing.length > 0 && !need.optional) {
      for (const name of missing) {
        p.add(
          need.loc,
          `'${jobName}' job needs '${name}' job, but '${name}' does not exist in the pipeline. ` +
            "This might be because of the only, except, or rules keywords. " +
            "To need a job that sometimes does not exist in the pipeline, use needs:optional.",
        );
      }
      continue;
    }
    if (need.matrix) out.push(...names.filter((name) => present.has(name)).map((name) => spec(name, need)));
    else if (missing.length < names.length) out.push(spec(need.job, need));
  }
  const count = needs.reduce((n, need) => n + neededNames(need, jobs).length, 0);
  if (count > MAX_NEEDS) {
    p.add(
      needs[0]!.loc,
      `${jobName}: one job can only need ${MAX_NEEDS} others, but you have listed ${count}. ` +
        "See needs keyword documentation for more details",
    );
  }
  return out;
}
