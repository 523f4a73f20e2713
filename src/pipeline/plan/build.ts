// Turns the checked configuration into the pipeline plan for one ref: workflow, rules / only / except, needs.
import type { ConfigDef, JobDef, RuleDef } from "../config/model.ts";
import { mergeVariables } from "../config/variables.ts";
import type { Problems } from "../errors.ts";
import { policyAllows } from "../evaluate/policy.ts";
import { firstMatchingRule, RuleClauseError, type RuleEnv } from "../evaluate/rules.ts";
import { expandAllVariables } from "../expand/text-variables.ts";
import { instancesOf } from "../logic/instances.ts";
import type { JobWhen, PipelineContext, PipelinePlan, PlanJob, RepositoryFiles, YamlVariable } from "../types.ts";
import { planEnvironment, planResourceGroup } from "./environment.ts";
import { resolveNeeds } from "./needs.ts";
import { type Admission, planJob } from "./plan-job.ts";

const EDGE_STAGES = new Set([".pre", ".post"]);

/** The plan, or null after reporting why no pipeline is created (workflow rules, no jobs, missing needs). */
export function buildPlan(
  config: ConfigDef,
  ctx: PipelineContext,
  repo: RepositoryFiles | null,
  p: Problems,
): PipelinePlan | null {
  const envFor = (variables: readonly YamlVariable[]): RuleEnv => ({
    variables: { ...asRecord(variables), ...ctx.variables },
    ctx,
    repo,
  });
  let globals = config.variables;
  let autoCancel = config.autoCancel;
  if (config.workflow) {
    const rule = clauseChecked(p, config.workflow.loc, "workflow", () =>
      firstMatchingRule(config.workflow!.rules, envFor(globals)),
    );
    if (rule === undefined) return null;
    if (!rule || rule.when === "never") {
      p.add(rule?.loc ?? config.workflow.loc, "Pipeline filtered out by workflow rules.");
      return null;
    }
    globals = mergeVariables(globals, rule.variables);
    autoCancel = { ...autoCancel, ...rule.autoCancel };
  }
  const jobs: { plan: PlanJob; def: JobDef; rule: RuleDef | null }[] = [];
  const byStage = [...config.jobs].sort((a, b) => config.stages.indexOf(a.stage) - config.stages.indexOf(b.stage));
  for (const def of byStage) {
    for (const instance of instancesOf(def)) {
      const env = envFor(mergeVariables(globals, def.variables, instance.variables));
      const admission = clauseChecked(p, def.loc, def.name, () => admit(def, env, !!config.workflow));
      if (!admission) continue;
      const stageIndex = config.stages.indexOf(def.stage);
      const plan = planJob(def, instance, admission, config.defaults, stageIndex);
      if (def.environment) plan.environment = planEnvironment(def.environment, env.variables);
      const resourceGroup = def.resourceGroup && planResourceGroup(def.resourceGroup, env.variables);
      if (resourceGroup) plan.resourceGroup = resourceGroup;
      jobs.push({ plan, def, rule: admission.rule });
    }
  }
  const present = new Set(jobs.map((j) => j.plan.name));
  const definitions = new Map(config.jobs.map((job) => [job.name, job]));
  for (const { plan, def, rule } of jobs) {
    const needs = rule?.needs ?? def.needs;
    if (needs) plan.needs = resolveNeeds(plan.name, needs, definitions, present, p);
    if (def.dependencies) {
      plan.dependencies = def.dependencies.flatMap((d) => {
        const target = definitions.get(d.name);
        return target ? instancesOf(target).map((i) => i.name) : [d.name];
      });
    }
  }
  if (!jobs.some((j) => !EDGE_STAGES.has(j.plan.stage))) p.add(config.loc, "No stages / jobs for this pipeline.");
  if (!p.ok) return null;
  if (p.warnings.length > 0) for (const { plan } of jobs) plan.warnings = [...p.warnings];
  const name = config.workflowName && pipelineName(config.workflowName, envFor(globals).variables);
  return {
    ...(name ? { name } : {}),
    stages: config.stages,
    variables: globals,
    jobs: jobs.map((j) => j.plan),
    autoCancel,
    warnings: p.warnings,
  };
}

/** Whether the job is in the pipeline, and with which `when`: by its rules, else by `only` / `except`. */
function admit(job: JobDef, env: RuleEnv, hasWorkflowRules: boolean): Admission | null {
  const jobWhen: JobWhen = job.when ?? "on_success";
  if (job.rules) {
    const rule = firstMatchingRule(job.rules, env);
    const when = rule?.when ?? jobWhen;
    if (!rule || when === "never") return null;
    return { rule, when: when as JobWhen };
  }
  return policyAllows(job, hasWorkflowRules, env) ? { rule: null, when: jobWhen } : null;
}

/** Runs a rule evaluation; a clause error becomes GitLab's "Failed to parse rule for <job>" (undefined returned). */
function clauseChecked<T>(p: Problems, loc: JobDef["loc"], name: string, evaluate: () => T): T | undefined {
  try {
    return evaluate();
  } catch (error) {
    if (!(error instanceof RuleClauseError)) throw error;
    p.add(loc, `Failed to parse rule for ${name}: ${error.message}`);
    return undefined;
  }
}

function asRecord(variables: readonly YamlVariable[]): Record<string, string> {
  return Object.fromEntries(variables.map((v) => [v.key, v.value]));
}

/** As GitLab names a pipeline: every `$VAR` / `${VAR}` expanded, unknown ones blank, trimmed, at most 255 long. */
function pipelineName(written: string, variables: Readonly<Record<string, string>>): string {
  return expandAllVariables(written, variables).trim().slice(0, 255);
}
