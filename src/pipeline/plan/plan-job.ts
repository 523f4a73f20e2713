// One job of the plan: a job definition's instance with `default:` copied in and the matched rule applied.
import type { DefaultsDef, JobDef, RuleDef } from "../config/model.ts";
import { mergeVariables } from "../config/variables.ts";
import type { Instance } from "../logic/instances.ts";
import type { JobWhen, PlanJob } from "../types.ts";

/** What decided that the job runs: the matched rule (when `rules` is used) and the resulting `when`. */
export interface Admission {
  rule: RuleDef | null;
  when: JobWhen;
}

/** The plan job for `instance`; `needs` are filled in later, once every job's admission is known. */
export function planJob(
  job: JobDef,
  instance: Instance,
  admission: Admission,
  defaults: DefaultsDef,
  stageIndex: number,
): PlanJob {
  const { rule, when } = admission;
  // A bridge takes nothing from `default:` (GitLab: it has no script, image, cache …).
  const pick = <K extends keyof DefaultsDef>(key: K): DefaultsDef[K] =>
    job[key] !== undefined || job.trigger ? job[key] : defaults[key];
  const plan: PlanJob = {
    name: instance.name,
    baseName: job.name,
    stage: job.stage,
    stageIndex,
    beforeScript: pick("beforeScript") ?? [],
    script: job.script,
    afterScript: pick("afterScript") ?? [],
    services: pick("services") ?? [],
    variables: mergeVariables(job.variables, instance.variables, rule?.variables),
    when,
    allowFailure: allowFailure(job, rule),
    retry: pick("retry") ?? { max: 0, when: [], exitCodes: [] },
    needs: null,
    tags: pick("tags") ?? [],
    interruptible: rule?.interruptible ?? pick("interruptible") ?? false,
    cache: pick("cache") ?? [],
  };
  const image = pick("image");
  if (image) plan.image = image;
  const startIn = rule ? rule.startIn : job.startIn;
  if (when === "delayed" && startIn !== undefined) plan.startIn = startIn;
  const timeout = pick("timeout");
  if (timeout !== undefined) plan.timeout = timeout;
  if (instance.parallel) plan.parallel = instance.parallel;
  const artifacts = pick("artifacts");
  if (artifacts) plan.artifacts = artifacts;
  if (job.coverage !== undefined) plan.coverage = job.coverage;
  if (job.trigger) plan.trigger = job.trigger;
  if (job.crossPipelineNeeds) plan.crossPipelineNeeds = job.crossPipelineNeeds;
  if (job.debug) plan.debug = job.debug;
  return plan;
}

/**
 * GitLab: a rule's `allow_failure` wins; else the job's own (`true`/`false` or exit codes); else the job-level
 * `when: manual` makes it true (so `rules:when: manual` alone leaves a blocking manual job).
 */
function allowFailure(job: JobDef, rule: RuleDef | null): PlanJob["allowFailure"] {
  if (rule?.allowFailure !== undefined) return rule.allowFailure;
  if (job.allowFailure !== undefined) return job.allowFailure;
  return job.when === "manual";
}
