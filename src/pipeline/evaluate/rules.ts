// Evaluates `rules` (and `workflow:rules`) when a pipeline is created: the first rule whose clauses all hold wins.
import type { ChangesDef, ExistsDef, RuleDef } from "../config/model.ts";
import { expandKnownVariables } from "../expand/text-variables.ts";
import { evaluateExpression } from "../expression/evaluate.ts";
import type { PipelineContext, RepositoryFiles } from "../types.ts";

/** What rule clauses look at. `variables` are the ones `if` sees (and `changes`/`exists` globs expand). */
export interface RuleEnv {
  variables: Readonly<Record<string, string>>;
  ctx: PipelineContext;
  repo: RepositoryFiles | null;
}

/** A clause that cannot be evaluated (GitLab's `Rules::Rule::Clause::ParseError`); the pipeline is not created. */
export class RuleClauseError extends Error {}

/** The first rule that matches, or null when none does (the job, or the pipeline, is then left out). */
export function firstMatchingRule(rules: readonly RuleDef[], env: RuleEnv): RuleDef | null {
  return rules.find((rule) => ruleMatches(rule, env)) ?? null;
}

function ruleMatches(rule: RuleDef, env: RuleEnv): boolean {
  if (rule.if && !evaluateExpression(rule.if, env.variables)) return false;
  if (rule.changes && !ruleChangesMatch(rule.changes, env)) return false;
  if (rule.exists && !existsMatch(rule.exists, env)) return false;
  return true;
}

/**
 * `rules:changes`. With `compare_to`, the files changed since the merge base of that ref and the commit (for any
 * pipeline, as GitLab); a ref that does not exist is an error. Without it, as `only:changes`.
 */
function ruleChangesMatch(changes: ChangesDef, env: RuleEnv): boolean {
  if (changes.compareTo === undefined) return changesMatch(changes.paths, env);
  const ref = expandKnownVariables(changes.compareTo, env.variables);
  const changed = env.repo?.changedSince?.(ref) ?? null;
  if (changed === null) throw new RuleClauseError("rules:changes:compare_to is not a valid ref");
  return matchesAny(changed, changes.paths, env);
}

/**
 * `changes`: true when the changed files are unknown (any pipeline that is not a push with known changed paths:
 * new branches, tags, web, API, schedules, triggers), else whether a changed path matches a glob.
 */
export function changesMatch(globs: readonly string[], env: RuleEnv): boolean {
  const changed = env.ctx.changedPaths;
  if (env.ctx.source !== "push" || changed === undefined) return true;
  return matchesAny(changed, globs, env);
}

/** GitLab's cap on path × glob comparisons for one `changes` clause; past it the clause holds. */
const MAX_PATTERN_COMPARISONS = 50_000;

function matchesAny(changed: readonly string[], globs: readonly string[], env: RuleEnv): boolean {
  if (changed.length * globs.length > MAX_PATTERN_COMPARISONS) return true;
  const matchers = globs.map((glob) => new Bun.Glob(expandKnownVariables(glob, env.variables)));
  return changed.some((path) => matchers.some((glob) => glob.match(path)));
}

/**
 * `exists`: whether a file matches a glob (a plain path ending in `/` matches a directory), in the commit or, with
 * `project`, in that project at `ref` (its default branch when absent). A project the user may not read, or a
 * missing ref, is an error as in GitLab.
 */
function existsMatch(exists: ExistsDef, env: RuleEnv): boolean {
  const files = filesFor(exists, env);
  return exists.paths.some((written) => {
    const glob = expandKnownVariables(written, env.variables);
    if (!/[*?[{]/.test(glob)) return glob.endsWith("/") ? files.some((f) => f.startsWith(glob)) : files.includes(glob);
    const matcher = new Bun.Glob(glob);
    return files.some((file) => matcher.match(file));
  });
}

function filesFor(exists: ExistsDef, env: RuleEnv): readonly string[] {
  if (exists.project === undefined) return env.repo?.list() ?? [];
  const project = expandKnownVariables(exists.project, env.variables);
  const ref = exists.ref === undefined ? "HEAD" : expandKnownVariables(exists.ref, env.variables);
  const opened = env.repo?.openProject?.(project.toLowerCase(), ref) ?? "not_found";
  if (opened === "not_found")
    throw new RuleClauseError(`rules:exists:project \`${project}\` access denied or not found`);
  if (opened === "no_ref")
    throw new RuleClauseError(`rules:exists:ref \`${ref}\` is not a valid ref in project \`${project}\``);
  return opened.list();
}
