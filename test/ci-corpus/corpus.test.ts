// Real `.gitlab-ci.yml` files from public projects, each in a real git repository with the files it includes:
// porthole plans the push as GitLab does (job, stage, needs, manual), or refuses with the known gap's error.
// The push is the branch's first, so every `rules:changes` holds, as GitLab has it for a new branch.
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { compilePipeline } from "../../src/pipeline/compile.ts";
import { formatError } from "../../src/pipeline/errors.ts";
import { gitRepo, pushContext } from "../../src/pipeline/pipeline.testing.ts";
import type { PipelinePlan } from "../../src/pipeline/types.ts";
import { CORPUS, type CorpusEntry } from "./corpus.ts";

const NO_PIPELINE = "No stages / jobs for this pipeline.";
const outcomes: { entry: CorpusEntry; right: boolean }[] = [];

function filesOf(dir: string): Record<string, string> {
  const walk = (at: string): string[] =>
    readdirSync(at).flatMap((name) =>
      statSync(join(at, name)).isDirectory() ? walk(join(at, name)) : [join(at, name)],
    );
  return Object.fromEntries(walk(dir).map((path) => [relative(dir, path), readFileSync(path, "utf8")]));
}

/** The plan in the corpus's words: job -> "stage[ needs=a,b][ manual]". */
function described(plan: PipelinePlan): Record<string, string> {
  return Object.fromEntries(
    plan.jobs.map((job) => {
      const needs = job.needs ? ` needs=${job.needs.map((n) => n.job).join(",")}` : "";
      return [job.name, `${job.stage}${needs}${job.when === "manual" ? " manual" : ""}`];
    }),
  );
}

function compile(entry: CorpusEntry) {
  const files = filesOf(join(import.meta.dir, entry.dir));
  const repo = gitRepo(files);
  try {
    const ref = entry.push?.ref ?? entry.defaultBranch;
    const variables = { CI_DEFAULT_BRANCH: entry.defaultBranch, CI_PROJECT_PATH: entry.projectPath };
    return compilePipeline(files[".gitlab-ci.yml"]!, pushContext({ ref, tag: entry.push?.tag, variables }), repo);
  } finally {
    repo.dispose();
  }
}

describe("real CI files", () => {
  for (const entry of CORPUS) {
    const push = entry.push ? `${entry.push.tag ? "tag" : "branch"} ${entry.push.ref}` : `${entry.defaultBranch}`;
    test(`${entry.source.split("@")[0]} (push to ${push})`, () => {
      const result = compile(entry);
      const errors = result.ok ? [] : result.errors.map(formatError);
      if (entry.gap) {
        expect(errors.some((e) => e.includes(entry.gap!.error))).toBe(true);
        outcomes.push({ entry, right: false });
      } else if (entry.gitlab === "no pipeline") {
        expect(errors.some((e) => e.includes(NO_PIPELINE))).toBe(true);
        outcomes.push({ entry, right: true });
      } else if ("error" in entry.gitlab) {
        expect(errors.some((e) => e.includes((entry.gitlab as { error: string }).error))).toBe(true);
        outcomes.push({ entry, right: true });
      } else if ("unasserted" in entry.gitlab) {
        throw new Error(`${entry.dir}: a plan that is not asserted needs a gap that says why`);
      } else {
        expect(errors).toEqual([]);
        if (result.ok) expect(described(result.plan)).toEqual(entry.gitlab as Record<string, string>);
        outcomes.push({ entry, right: true });
      }
    });
  }
});

afterAll(() => {
  const files = new Set(CORPUS.map((e) => e.dir)).size;
  const right = outcomes.filter((o) => o.right).length;
  console.log(`corpus: ${files} files, ${CORPUS.length} pushes; porthole plans ${right} as GitLab does`);
  for (const { entry } of outcomes.filter((o) => !o.right)) console.log(`  ${entry.dir}: ${entry.gap?.why}`);
});
