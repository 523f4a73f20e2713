// compilePipeline: a `.gitlab-ci.yml` and a ref's context in, the pipeline plan (or every error found) out.
import { analyzeConfig } from "./analyze.ts";
import { RuleClauseError } from "./evaluate/rules.ts";
import { buildPlan } from "./plan/build.ts";
import type { CompileResult, IncludeSources, PipelineContext, RepositoryFiles } from "./types.ts";

/**
 * Compiles `content` for the pipeline described by `ctx`. `repo` serves `include:local` and `rules:exists`
 * (null for a project without a repository); `sources` serves `include:remote`. Pure: no I/O besides `repo`, never throws on any input.
 * Errors carry the file, line and column of the offending node; there is never a plan when there is an error.
 */
export function compilePipeline(
  content: string,
  ctx: PipelineContext,
  repo: RepositoryFiles | null,
  sources: IncludeSources = {},
): CompileResult {
  try {
    return compileOrThrow(content, ctx, repo, sources);
  } catch (error) {
    // A rule clause that cannot be evaluated outside a job's rules (`include:rules`) refuses the whole file.
    if (error instanceof RuleClauseError) return { ok: false, errors: [{ message: error.message }], warnings: [] };
    throw error;
  }
}

function compileOrThrow(
  content: string,
  ctx: PipelineContext,
  repo: RepositoryFiles | null,
  sources: IncludeSources,
): CompileResult {
  const analysis = analyzeConfig(content, repo, ctx.variables, ctx, sources);
  const { problems } = analysis;
  if (!analysis.config) return { ok: false, errors: problems.sorted(), warnings: problems.warnings };
  const plan = buildPlan(analysis.config, ctx, repo, problems);
  if (!plan) return { ok: false, errors: problems.sorted(), warnings: problems.warnings };
  // Printed only when read: most callers never look at it, and printing costs more than compiling.
  return {
    ok: true,
    plan,
    get mergedYaml() {
      return analysis.mergedYaml();
    },
  };
}
