// The compile pool: same answers as the compiler, include:local read through the main thread, budgets, a free event loop.
import { afterAll, describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { gitRepo, pushContext } from "../pipeline.testing.ts";
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
