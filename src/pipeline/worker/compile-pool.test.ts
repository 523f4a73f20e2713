// The compile pool: same answers as the compiler; include:local, include:project and include:remote read through the main thread; budgets; a free event loop.
import { afterAll, describe, expect, test } from "bun:test";
import { compilePipeline } from "../compile.ts";
import { lintPipeline } from "../lint.ts";
import { gitRepo, pushContext } from "../pipeline.testing.ts";
import type { RepositoryFiles } from "../types.ts";
import { CompilePool, megabytes } from "./compile-pool.ts";

/** `jobs` plain jobs: big enough that parsing it takes seconds on one core. */
function manyJobs(jobs: number): string {
  const lines: string[] = [];
  for (let i = 0; i < jobs; i++) lines.push(`job-${i}:`, "  stage: test", `  script: [echo ${i}, make t-${i}]`);
  return `${lines.join("\n")}\n`;
}

const pools: CompilePool[] = [];
function pool(options?: ConstructorParameters<typeof CompilePool>[0]): CompilePool {
  const p = new CompilePool(options);
  pools.push(p);
  return p;
}
afterAll(() => {
  for (const p of pools) p.close();
});

describe("compile pool", () => {
  test("lints as the compiler does, errors and merged YAML included", async () => {
    const yaml = "build:\n  script: make\n  when: sometimes\nlater:\n  script: echo\n  needs: [nothing]\n";
    expect(await pool().lint(yaml, null, 1000)).toEqual(lintPipeline(yaml, null, 1000));
    const valid = "a:\n  script: [echo hi]\n";
    expect(await pool().lint(valid, null)).toEqual({
      valid: true,
      errors: [],
      warnings: [],
      merged_yaml: lintPipeline(valid, null).merged_yaml,
    });
  });

  test("include:local files are read from the repository through the main thread", async () => {
    const repo = gitRepo({ "ci/jobs.yml": "from-include:\n  script: [echo included]\n" });
    try {
      const p = pool();
      const compiled = await p.compile("include: ci/jobs.yml\nmain-job:\n  script: [echo]\n", pushContext(), repo);
      expect(compiled.ok && compiled.plan.jobs.map((j) => j.name).sort()).toEqual(["from-include", "main-job"]);
      const missing = await p.compile("include: ci/absent.yml\nx:\n  script: [echo]\n", pushContext(), repo);
      expect(missing.ok).toBe(false);
      expect(!missing.ok && missing.errors[0]!.message).toContain("ci/absent.yml");
    } finally {
      repo.dispose();
    }
  });

  test("include:project opens the other project through the main thread: the compiler's plan and messages", async () => {
    const own = gitRepo({ "ci/own.yml": "own: {script: own}\n" });
    const templates = gitRepo({
      "templates/build.yml": "include: templates/nested.yml\nbuild: {stage: build, extends: .base, script: make}\n",
      "templates/nested.yml": ".base: {image: alpine}\n",
      "templates/deep.yml": "include: {project: group/secret, file: x.yml}\n",
    });
    const opened: string[] = [];
    const repo: RepositoryFiles = {
      read: own.read,
      list: own.list,
      openProject(project, ref) {
        opened.push(`${project}@${ref}`);
        if (project !== "group/templates") return "not_found";
        return ref === "v1" || ref === "HEAD" ? { ...templates, release: "1.0.0" } : "no_ref";
      },
    };
    try {
      const p = pool();
      const yaml = `include:
  - {project: Group/Templates, ref: v1, file: templates/build.yml}
  - local: ci/own.yml
stages: [build, test]
`;
      const pooled = await p.compile(yaml, pushContext(), repo);
      const direct = compilePipeline(yaml, pushContext(), repo);
      expect(pooled.ok && direct.ok && pooled.plan).toEqual(direct.ok && direct.plan);
      expect(pooled.ok && pooled.plan.jobs.map((j) => [j.name, j.image?.name ?? null])).toEqual([
        ["build", "alpine"],
        ["own", null],
      ]);
      expect(opened).toEqual(["group/templates@v1", "group/templates@v1"]); // pooled, then direct

      const messages = async (include: string) => {
        const result = await p.lint(`include: ${include}\nx: {script: x}\n`, repo);
        expect(result).toEqual(lintPipeline(`include: ${include}\nx: {script: x}\n`, repo));
        return result.errors;
      };
      expect(await messages("{project: group/other, file: a.yml}")).toEqual([
        expect.stringContaining("Project `group/other` not found or access denied!"),
      ]);
      expect(await messages("{project: group/templates, ref: nope, file: a.yml}")).toEqual([
        expect.stringContaining("Project `group/templates` reference `nope` does not exist!"),
      ]);
      // A project named inside the other project's file is opened through the pipeline's own repository too.
      expect(await messages("{project: group/templates, file: templates/deep.yml}")).toEqual([
        expect.stringContaining("Project `group/secret` not found or access denied!"),
      ]);
    } finally {
      own.dispose();
      templates.dispose();
    }
  });

  test("include:remote files come from the main thread's cache; one not fetched yet is asked for again", async () => {
    const url = "https://ci.example.test/shared.yml";
    const fetched = new Map<string, { text: string } | { error: string }>();
    const asked: string[] = [];
    const remote = {
      get(u: string) {
        asked.push(u);
        return fetched.get(u);
      },
    };
    const yaml = `include: ${url}\nown: {script: own}\n`;
    const p = pool();
    const first = await p.lint(yaml, null, 1000, {}, { remote });
    expect(first).toEqual(lintPipeline(yaml, null, 1000, {}, { remote }));
    expect(asked).toContain(url);
    fetched.set(url, { text: "shared: {script: shared}\n" });
    const compiled = await p.compile(yaml, pushContext(), null, 1000, { remote });
    expect(compiled.ok && compiled.plan.jobs.map((j) => j.name)).toEqual(["shared", "own"]);
    fetched.set(url, { error: "Remote file could not be fetched" });
    const failed = await p.lint(yaml, null, 1000, {}, { remote });
    expect(failed).toEqual(lintPipeline(yaml, null, 1000, {}, { remote }));
    expect(failed.valid).toBe(false);
  });

  test("an opener that throws fails that compile with the project named; the pool keeps answering", async () => {
    const own = gitRepo({});
    const repo: RepositoryFiles = {
      ...own,
      openProject: () => {
        throw new Error("mirror gone");
      },
    };
    try {
      const p = pool({ workers: 1 });
      const result = await p.compile("include: {project: a/b, file: x.yml}\nx: {script: x}\n", pushContext(), repo);
      expect(!result.ok && result.errors).toEqual([{ message: "Project `a/b` could not be read" }]);
      const next = await p.compile("x: {script: x}\n", pushContext(), repo);
      expect(next.ok).toBe(true);
    } finally {
      own.dispose();
    }
  });

  test("a compile over its time budget is refused, and the pool keeps answering", async () => {
    const p = pool({ workers: 1, timeoutMs: 200 });
    const slow = await p.lint(manyJobs(15_000), null);
    expect(slow).toEqual({
      valid: false,
      errors: ["The CI configuration took too long to compile (0.2 s budget)"],
      warnings: [],
      merged_yaml: "",
    });
    // The same pool starts a fresh worker for the next request.
    const fresh = await p.compile("a:\n  script: [echo]\n", pushContext(), null);
    expect(fresh.ok || fresh.errors[0]!.message).toBe(true);
  });

  test("a file over the size budget is refused before it is parsed", async () => {
    const p = pool({ maxConfigBytes: 1024 });
    const big = manyJobs(100);
    expect((await p.lint(big, null)).errors).toEqual([
      `The CI configuration is ${megabytes(Buffer.byteLength(big))}, more than the limit of 1 KB`,
    ]);
    const compiled = await p.compile(big, pushContext(), null);
    expect(!compiled.ok && compiled.errors[0]!.message).toStartWith("The CI configuration is ");
  });

  test("the event loop keeps ticking while four 15,000-job files are linted", async () => {
    const p = pool();
    const file = manyJobs(15_000);
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    // No job limit: each file is parsed and checked in full.
    const started = performance.now();
    const results = await Promise.all([1, 2, 3, 4].map(() => p.lint(file, null)));
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    for (const r of results) expect([r.valid, r.errors]).toEqual([true, []]);
    // On the event loop the four parses would run one after another, each blocking it for a quarter of the whole;
    // off it, the worst gap is scheduling noise, which grows with the machine's load as the whole does (13 s and a
    // 0.5 s gap on a machine loaded 5x over).
    expect(worstGap).toBeLessThan(Math.max(400, elapsed / 8));
  }, 60_000);

  test("a plain file far over the job limit is refused without parsing, at lint and at compile", async () => {
    const p = pool();
    const message = "The pipeline has 15000 jobs, more than the limit of 1000 (limits.max_jobs_per_pipeline)";
    const started = performance.now();
    expect(await p.lint(manyJobs(15_000), null, 1000)).toEqual({
      valid: false,
      errors: [message],
      warnings: [],
      merged_yaml: "",
    });
    const compiled = await p.compile(manyJobs(15_000), pushContext(), null, 1000);
    expect(!compiled.ok && compiled.errors).toEqual([{ message }]);
    // A full parse of one such file takes seconds; the count from the text takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
