// lintPipeline: checks a CI file as GitLab's CI Lint API does, without evaluating rules for a ref.
import { analyzeConfig } from "./analyze.ts";
import { formatError } from "./errors.ts";
import { countConfigJobs, jobLimitMessage } from "./job-limit.ts";
import type { LintResult, RepositoryFiles } from "./types.ts";

/**
 * Validates everything that does not depend on a ref — YAML, includes, extends, `!reference`, every keyword
 * (rules and only/except syntax included), stages, needs and dependencies — but evaluates no rules, so a file
 * whose workflow rules would filter out some pipeline is still valid. `include:local` paths with `$VARIABLES`
 * are read unexpanded. A file making more than `maxJobs` jobs (before rules) is invalid.
 */
export function lintPipeline(content: string, repo: RepositoryFiles | null, maxJobs = Infinity): LintResult {
  const { problems, config, mergedYaml } = analyzeConfig(content, repo, {});
  const count = config ? countConfigJobs(config) : 0;
  const tooMany = count > maxJobs ? [jobLimitMessage(count, maxJobs)] : [];
  return {
    valid: problems.ok && tooMany.length === 0,
    errors: [...problems.sorted().map(formatError), ...tooMany],
    warnings: problems.warnings,
    merged_yaml: mergedYaml(),
  };
}
