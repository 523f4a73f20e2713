// Evaluates `only` / `except` for a job when a pipeline is created, as GitLab's build policies do.
import type { JobDef, PolicyDef } from "../config/model.ts";
import { evaluateExpression } from "../expression/evaluate.ts";
import { compileRegex, looksLikeRegex } from "../expression/regex.ts";
import { changesMatch, type RuleEnv } from "./rules.ts";

const DEFAULT_ONLY: PolicyDef = { refs: ["branches", "tags"] };

/**
 * Whether `only` / `except` let the job in. Without them the default is `only: [branches, tags]`, except that
 * `workflow:rules` drops the default (GitLab); a written `only` without `refs` still gets the default refs.
 */
export function policyAllows(job: JobDef, hasWorkflowRules: boolean, env: RuleEnv): boolean {
  const only = job.only ? { ...DEFAULT_ONLY, ...job.only } : hasWorkflowRules ? undefined : DEFAULT_ONLY;
  if (only && !allHold(only, env)) return false;
  return !job.except || !anyHolds(job.except, env);
}

function allHold(policy: PolicyDef, env: RuleEnv): boolean {
  if (policy.refs && !refsMatch(policy.refs, env)) return false;
  if (policy.variables && !policy.variables.some((e) => evaluateExpression(e, env.variables))) return false;
  return !policy.changes || changesMatch(policy.changes, env);
}

function anyHolds(policy: PolicyDef, env: RuleEnv): boolean {
  if (policy.refs && refsMatch(policy.refs, env)) return true;
  if (policy.variables?.some((e) => evaluateExpression(e, env.variables))) return true;
  return !!policy.changes && changesMatch(policy.changes, env);
}

/** A ref pattern: `branches`, `tags`, a source (`api`, `schedules` …), `/regex/`, or a ref name; `@path` limits the project. */
function refsMatch(patterns: readonly string[], env: RuleEnv): boolean {
  const { ctx } = env;
  const source = ctx.source.replace(/_event$/, "");
  return patterns.some((written) => {
    const at = written.indexOf("@");
    const pattern = at < 0 ? written : written.slice(0, at);
    if (at >= 0 && written.slice(at + 1) !== ctx.variables.CI_PROJECT_PATH) return false;
    if (pattern === "tags" && ctx.tag) return true;
    if (pattern === "branches" && !ctx.tag) return true;
    if (pattern === source || pattern === pluralize(source)) return true;
    if (looksLikeRegex(pattern)) return compileRegex(pattern)?.test(ctx.ref) ?? false;
    return pattern === ctx.ref;
  });
}

function pluralize(word: string): string {
  return /(s|sh|ch|x)$/.test(word) ? `${word}es` : `${word}s`;
}
