// lintPipeline: checks a CI file as GitLab's CI Lint API does, without evaluating rules for a ref.
import { analyzeConfig } from "./analyze.ts";
import { formatError } from "./errors.ts";
import type { LintResult, RepositoryFiles } from "./types.ts";

/**
 * Validates everything that does not depend on a ref — YAML, includes, extends, `!reference`, every keyword
 * (rules and only/except syntax included), stages, needs and dependencies — but evaluates no rules, so a file
 * whose workflow rules would filter out some pipeline is still valid. `include:local` paths with `$VARIABLES`
 * are read unexpanded.
 */
export function lintPipeline(content: string, repo: RepositoryFiles | null): LintResult {
  const { problems, mergedYaml } = analyzeConfig(content, repo, {});
  return {
    valid: problems.ok,
    errors: problems.sorted().map(formatError),
    warnings: problems.warnings,
    merged_yaml: mergedYaml(),
  };
}
