// Test support for the pipeline compiler: real git repositories in temp folders, short ways to compile, and jobs
// as the compiler plans them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { compilePipeline } from "./compile.ts";
import { formatError } from "./errors.ts";
import type { PipelineContext, PipelinePlan, PlanJob, RepositoryFiles } from "./types.ts";

const GIT_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: "test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
};

function git(cwd: string, args: string[]): string {
  const res = Bun.spawnSync(["git", ...args], { cwd, env: GIT_ENV, stdout: "pipe", stderr: "pipe" });
  if (res.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${res.stderr.toString()}`);
  return res.stdout.toString();
}

/** A real git repository holding `files` in one commit, read through git as the server reads it. */
export interface TestRepo extends RepositoryFiles {
  /** Removes the temp folder. */
  dispose(): void;
}

export function gitRepo(files: Record<string, string>): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), "porthole-pipeline-repo-"));
  git(dir, ["init", "--quiet", "--initial-branch=main"]);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, ["add", "--all"]);
  git(dir, ["commit", "--quiet", "--allow-empty", "-m", "files"]);
  const paths = git(dir, ["ls-tree", "-r", "--name-only", "-z", "HEAD"]).split("\0").filter(Boolean);
  return {
    list: () => paths,
    read: (path) => (paths.includes(path) ? git(dir, ["show", `HEAD:${path}`]) : null),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A push pipeline on branch `main` unless overridden; `variables` get CI_COMMIT_BRANCH / CI_COMMIT_TAG as GitLab's. */
export function pushContext(overrides: Partial<PipelineContext> = {}): PipelineContext {
  const ref = overrides.ref ?? "main";
  const tag = overrides.tag ?? false;
  const predefined: Record<string, string> = {
    CI_COMMIT_REF_NAME: ref,
    CI_PIPELINE_SOURCE: overrides.source ?? "push",
    CI_DEFAULT_BRANCH: "main",
    CI_PROJECT_PATH: "group/project",
    ...(tag ? { CI_COMMIT_TAG: ref } : { CI_COMMIT_BRANCH: ref }),
  };
  return { ref, tag, source: "push", ...overrides, variables: { ...predefined, ...overrides.variables } };
}

/** The plan for `yaml`; throws with the errors when it does not compile. */
export function planOf(
  yaml: string,
  ctx: PipelineContext = pushContext(),
  repo: RepositoryFiles | null = null,
): PipelinePlan {
  const result = compilePipeline(yaml, ctx, repo);
  if (!result.ok) throw new Error(`expected a plan, got:\n${result.errors.map(formatError).join("\n")}`);
  return result.plan;
}

/** The errors compiling `yaml` gives, each as one line; throws when it compiles. */
export function errorsOf(
  yaml: string,
  ctx: PipelineContext = pushContext(),
  repo: RepositoryFiles | null = null,
): string[] {
  const result = compilePipeline(yaml, ctx, repo);
  if (result.ok) throw new Error(`expected errors, got a plan with ${result.plan.jobs.map((j) => j.name).join(", ")}`);
  return result.errors.map(formatError);
}

/** Names of the plan's jobs, in plan order. */
export const jobNames = (plan: PipelinePlan) => plan.jobs.map((j) => j.name);

/** A job as the compiler plans it (`script: [true]`, stage `s<index>` unless `extra` says otherwise). */
export function planJob(name: string, stageIndex = 0, extra: Partial<PlanJob> = {}): PlanJob {
  return {
    name,
    baseName: name,
    stage: `s${stageIndex}`,
    stageIndex,
    beforeScript: [],
    script: ["true"],
    afterScript: [],
    services: [],
    variables: [],
    when: "on_success",
    allowFailure: false,
    retry: { max: 0, when: [], exitCodes: [] },
    needs: null,
    tags: [],
    interruptible: false,
    cache: [],
    ...extra,
  };
}
