// lintPipeline: checks a CI file as GitLab's CI Lint API does, without evaluating rules for a ref.
import { analyzeConfig } from "./analyze.ts";
import { formatError } from "./errors.ts";
import { countConfigJobs, countPlainJobs, jobLimitMessage } from "./job-limit.ts";
import type { IncludeSources, LintResult, RepositoryFiles } from "./types.ts";

/**
 * Validates everything that does not depend on a ref — YAML, includes, extends, `!reference`, every keyword
 * (rules and only/except syntax included), stages, needs and dependencies — but evaluates no rules, so a file
 * whose workflow rules would filter out some pipeline is still valid. `$VARIABLES` in include paths and component
 * addresses expand from `variables` (the ones known before a ref: the server's and the project's). A file making more than `maxJobs` jobs (before rules) is invalid; a plain one far over the
 * limit is refused from its text, before parsing.
 */
export function lintPipeline(
  content: string,
  repo: RepositoryFiles | null,
  maxJobs = Infinity,
  variables: Readonly<Record<string, string>> = {},
  sources: IncludeSources = {},
): LintResult {
  const plainJobs = countPlainJobs(content);
  if (plainJobs !== null && plainJobs > maxJobs)
    return { valid: false, errors: [jobLimitMessage(plainJobs, maxJobs)], warnings: [], merged_yaml: "" };
  const { problems, config, mergedYaml, includes } = analyzeConfig(content, repo, variables, undefined, sources);
  const count = config ? countConfigJobs(config) : 0;
  const tooMany = count > maxJobs ? [jobLimitMessage(count, maxJobs)] : [];
  return {
    valid: problems.ok && tooMany.length === 0,
    errors: [...problems.sorted().map(formatError), ...tooMany],
    warnings: problems.warnings,
    merged_yaml: mergedYaml(),
    ...(includes.length > 0 ? { includes } : {}),
  };
}
