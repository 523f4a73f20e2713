// Checks across jobs (GitLab's logical validation): stages exist, dependencies and needs name earlier jobs, no cycles.

import type { ConfigDef, JobDef, NeedDef } from "../config/model.ts";
import type { Problems } from "../errors.ts";
import { instancesOf, neededNames } from "./instances.ts";

/** Reports every stage, dependency and needs problem GitLab's YAML processor would raise. */
export function checkJobGraph(config: ConfigDef, p: Problems): void {
  const jobs = new Map(config.jobs.map((job) => [job.name, job]));
  const stageOf = (job: JobDef) => config.stages.indexOf(job.stage);
  const owner = new Map<string, JobDef>();
  for (const job of config.jobs) for (const instance of instancesOf(job)) owner.set(instance.name, job);

  for (const job of config.jobs) {
    if (stageOf(job) < 0) {
      p.add(
        job.stageLoc,
        `${job.name} job: chosen stage ${job.stage} does not exist; available stages are ${config.stages.join(", ")}`,
      );
      continue;
    }
    for (const dep of job.dependencies ?? []) {
      const target = jobs.get(dep.name);
      if (!target) p.add(dep.loc, `${job.name} job: undefined dependency: ${dep.name}`);
      else if (stageOf(target) > stageOf(job)) {
        p.add(dep.loc, `${job.name} job: dependency ${dep.name} is not defined in current or prior stages`);
      }
    }
    for (const needs of [job.needs, ...(job.rules ?? []).map((r) => r.needs)]) {
      if (needs) checkNeeds(job, needs, { jobs, owner, stageOf, p });
    }
  }
  checkCycles(config.jobs, jobs, p);
}

interface NeedsCheck {
  jobs: ReadonlyMap<string, JobDef>;
  owner: ReadonlyMap<string, JobDef>;
  stageOf: (job: JobDef) => number;
  p: Problems;
}

function checkNeeds(job: JobDef, needs: readonly NeedDef[], c: NeedsCheck): void {
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const need of needs) {
    for (const name of neededNames(need, c.jobs)) {
      if (seen.has(name)) duplicated.add(name);
      seen.add(name);
      const target = c.owner.get(name);
      if (!target) {
        if (!need.optional) c.p.add(need.loc, `${job.name} job: undefined need: ${name}`);
      } else if (c.stageOf(target) > c.stageOf(job)) {
        c.p.add(need.loc, `${job.name} job: need ${name} is not defined in current or prior stages`);
      }
    }
  }
  if (duplicated.size > 0) {
    c.p.add(needs[0]!.loc, `${job.name} has the following needs duplicated: ${[...duplicated].join(", ")}.`);
  }
}

/** GitLab: `The pipeline has circular dependencies` when `needs` (not `rules:needs`) form a cycle. */
function checkCycles(list: readonly JobDef[], jobs: ReadonlyMap<string, JobDef>, p: Problems): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (job: JobDef): NeedDef | null => {
    state.set(job.name, "visiting");
    for (const need of job.needs ?? []) {
      const target = jobs.get(need.job);
      if (!target || state.get(target.name) === "done") continue;
      if (state.get(target.name) === "visiting") return need;
      const found = visit(target);
      if (found) return found;
    }
    state.set(job.name, "done");
    return null;
  };
  for (const job of list) {
    if (state.has(job.name)) continue;
    const need = visit(job);
    if (need) {
      p.add(need.loc, "The pipeline has circular dependencies");
      return;
    }
  }
}
