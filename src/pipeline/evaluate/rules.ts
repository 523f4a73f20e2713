// Evaluates `rules` (and `workflow:rules`) when a pipeline is created: the first rule whose clauses all hold wins.
import type { RuleDef } from "../config/model.ts";
import { expandKnownVariables } from "../expand/text-variables.ts";
import { evaluateExpression } from "../expression/evaluate.ts";
import type { PipelineContext, RepositoryFiles } from "../types.ts";

/** What rule clauses look at. `variables` are the ones `if` sees (and `changes`/`exists` globs expand). */
export interface RuleEnv {
  variables: Readonly<Record<string, string>>;
  ctx: PipelineContext;
  repo: RepositoryFiles | null;
}

/** The first rule that matches, or null when none does (the job, or the pipeline, is then left out). */
export function firstMatchingRule(rules: readonly RuleDef[], env: RuleEnv): RuleDef | null {
  return rules.find((rule) => ruleMatches(rule, env)) ?? null;
}

function ruleMatches(rule: RuleDef, env: RuleEnv): boolean {
  if (rule.if && !evaluateExpression(rule.if, env.variables)) return false;
  if (rule.changes && !changesMatch(rule.changes, env)) return false;
  if (rule.exists && !existsMatch(rule.exists, env)) return false;
  return true;
}

/**
 * `changes`: true when the changed files are unknown (any pipeline that is not a push with known changed paths:
 * new branches, tags, web, API, schedules), else whether a changed path matches a glob.
 */
export function changesMatch(globs: readonly string[], env: RuleEnv): boolean {
  const changed = env.ctx.changedPaths;
  if (env.ctx.source !== "push" || changed === undefined) return true;
  const matchers = globs.map((glob) => new Bun.Glob(expandKnownVariables(glob, env.variables)));
  return changed.some((path) => matchers.some((glob) => glob.match(path)));
}

/** `exists`: whether a file of the commit matches a glob (a plain path ending in `/` matches a directory). */
function existsMatch(globs: readonly string[], env: RuleEnv): boolean {
  const files = env.repo?.list() ?? [];
  return globs.some((written) => {
    const glob = expandKnownVariables(written, env.variables);
    if (!/[*?[{]/.test(glob)) return glob.endsWith("/") ? files.some((f) => f.startsWith(glob)) : files.includes(glob);
    const matcher = new Bun.Glob(glob);
    return files.some((file) => matcher.match(file));
  });
}
