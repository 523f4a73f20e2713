// The compile pool: same answers as the compiler, include:local, include:project, include:component and include:remote
// served by the main thread, budgets (the main thread's time left out), a free event loop.
import { afterAll, describe, expect, test } from "bun:test";
import { compilePipeline } from "../compile.ts";
import { lintPipeline } from "../lint.ts";
import { gitRepo, pushContext } from "../pipeline.testing.ts";
import type { LintResult, RepositoryFiles } from "../types.ts";
import { CompilePool, type IncludeHost, megabytes } from "./compile-pool.ts";
import type { PooledCompileResult } from "./protocol.ts";

/** `jobs` plain jobs: big enough that parsing it takes seconds on one core. */
function manyJobs(jobs: number): string {
  const lines: string[] = [];
  for (let i = 0; i < jobs; i++) lines.push(`job-${i}:`, "  stage: test", `  script: [echo ${i}, make t-${i}]`);
  return `${lines.join("\n")}\n`;
}

/** Runs `work` while a 5 ms timer ticks: its result, the whole time and the worst gap between two ticks (ms). */
async function ticking<T>(work: () => Promise<T>): Promise<{ result: T; elapsed: number; worstGap: number }> {
  let last = performance.now();
  let worstGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    const result = await work();
    return { result, elapsed: performance.now() - started, worstGap };
  } finally {
    clearInterval(ticker);
  }
}

/**
 * A main thread's `openProject` over one other project, `group/lib`, readable at `main` and tagged `1.0.0`; the
 * calls it answered are in `opened`.
 */
function libraryHost(lib: RepositoryFiles): IncludeHost & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    async openProject(project, ref) {
      opened.push(`${project}@${ref}`);
      await Bun.sleep(1);
      if (project !== "group/lib") return "not_found";
      if (ref === "main" || ref === "HEAD") return { ...lib, sha: "a".repeat(40) };
      if (ref === "1.0.0") return { ...lib, sha: "a".repeat(40), release: "1.0.0" };
      return "no_ref";
    },
  };
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

  test("include:project and include:component are opened by the main thread, with GitLab's messages", async () => {
    const own = gitRepo({ "local.yml": "local-job:\n  script: [echo local]\n" });
    const lib = gitRepo({
      "lib.yml": "include: nested.yml\nfrom-project:\n  script: [echo project]\n",
      "nested.yml": "from-nested:\n  script: [echo nested]\n",
      "templates/deploy.yml":
        'spec:\n  component: [version]\n  inputs:\n    env: {}\n---\n"deploy-$[[ inputs.env ]]":\n  script:\n    - echo $[[ component.version ]]\n',
    });
    try {
      const p = pool();
      const host = libraryHost(lib);
      const ctx = pushContext({ variables: { ...pushContext().variables, CI_SERVER_FQDN: "ci.example.com" } });
      const file = [
        "include:",
        "  - local: local.yml",
        "  - {project: group/lib, ref: main, file: lib.yml}",
        "  - component: $CI_SERVER_FQDN/group/lib/deploy@1.0.0",
        "    inputs: {env: prod}",
        "main-job:",
        "  script: [echo]",
        "",
      ].join("\n");
      const compiled = await p.compile(file, ctx, own, Infinity, host);
      expect(compiled.ok && compiled.plan.jobs.map((j) => [j.name, j.script])).toEqual([
        ["local-job", ["echo local"]],
        ["from-nested", ["echo nested"]],
        ["from-project", ["echo project"]],
        ["deploy-prod", ["echo 1.0.0"]],
        ["main-job", ["echo"]],
      ]);
      expect(host.opened).toEqual(["group/lib@main", "group/lib@1.0.0"]);
      const refused = await p.compile(
        "include:\n  - {project: group/secret, file: a.yml}\n  - {project: group/lib, ref: gone, file: a.yml}\nx:\n  script: [echo]\n",
        ctx,
        own,
        Infinity,
        host,
      );
      expect(!refused.ok && refused.errors.map((e) => e.message)).toEqual([
        "Project `group/secret` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.",
        "Project `group/lib` reference `gone` does not exist!",
      ]);
      // Lint with the same host lists what it read, the other project's files with their project and commit.
      const linted = await p.lint(file, own, Infinity, { ...host, variables: { CI_SERVER_FQDN: "ci.example.com" } });
      expect([linted.valid, linted.errors]).toEqual([true, []]);
      expect(linted.includes?.map((i) => [i.type, i.location, i.context_project, i.context_sha])).toEqual([
        ["local", "local.yml", null, null],
        ["file", "lib.yml", null, null],
        ["local", "nested.yml", "group/lib", "a".repeat(40)],
        ["component", "ci.example.com/group/lib/deploy@1.0.0", null, null],
      ]);
    } finally {
      own.dispose();
      lib.dispose();
    }
  });

  test("include:project on the pool plans as the compiler does; a project named in another project's file is opened by the pipeline's", async () => {
    const own = gitRepo({ "ci/own.yml": "own: {script: own}\n" });
    const templates = gitRepo({
      "templates/build.yml": "include: templates/nested.yml\nbuild: {stage: build, extends: .base, script: make}\n",
      "templates/nested.yml": ".base: {image: alpine}\n",
      "templates/deep.yml": "include: {project: group/secret, file: x.yml}\n",
    });
    const open = (project: string, ref: string) => {
      if (project !== "group/templates") return "not_found" as const;
      return ref === "v1" || ref === "HEAD" ? { ...templates, release: "1.0.0" } : ("no_ref" as const);
    };
    const opened: string[] = [];
    const host: IncludeHost = {
      openProject: async (project, ref) => {
        opened.push(`${project}@${ref}`);
        return open(project, ref);
      },
    };
    try {
      const p = pool();
      const yaml =
        "include:\n  - {project: Group/Templates, ref: v1, file: templates/build.yml}\n  - local: ci/own.yml\nstages: [build, test]\n";
      const pooled = await p.compile(yaml, pushContext(), own, Infinity, host);
      const direct = compilePipeline(yaml, pushContext(), { ...own, openProject: open });
      expect(pooled.ok && direct.ok && pooled.plan).toEqual(direct.ok && direct.plan);
      expect(pooled.ok && pooled.plan.jobs.map((j) => [j.name, j.image?.name ?? null])).toEqual([
        ["build", "alpine"],
        ["own", null],
      ]);
      expect(opened).toEqual(["group/templates@v1"]);
      const messages = async (include: string) => {
        const yaml = `include: ${include}\nx: {script: x}\n`;
        const result = await p.lint(yaml, own, Infinity, host);
        expect(result).toEqual(lintPipeline(yaml, { ...own, openProject: open }));
        return result.errors;
      };
      expect(await messages("{project: group/templates, file: templates/deep.yml}")).toEqual([
        expect.stringContaining("Project `group/secret` not found or access denied!"),
      ]);
      expect(opened.at(-1)).toBe("group/secret@HEAD");
    } finally {
      own.dispose();
      templates.dispose();
    }
  });

  test("include:remote files are fetched by the main thread, each once per compile; their errors as it said", async () => {
    const fetched: string[] = [];
    const host: IncludeHost = {
      async fetchRemote(url) {
        fetched.push(url);
        if (url.endsWith("/blocked.yml"))
          return { error: "Remote file could not be fetched because Requests to the local network are not allowed!" };
        return { text: "remote-job:\n  script: [echo remote]\n" };
      },
    };
    const file =
      "include:\n  - remote: https://example.com/ci.yml\n  - https://example.com/ci.yml\nmain-job:\n  script: [echo]\n";
    const compiled = await pool().compile(file, pushContext(), null, Infinity, host);
    expect(compiled.ok && compiled.plan.jobs.map((j) => j.name)).toEqual(["remote-job", "main-job"]);
    expect(fetched).toEqual(["https://example.com/ci.yml"]);
    const blocked = await pool().lint(
      "include: https://10.0.0.1/blocked.yml\nx:\n  script: [echo]\n",
      null,
      Infinity,
      host,
    );
    expect(blocked.errors).toEqual([
      "Remote file could not be fetched because Requests to the local network are not allowed! (line 1, column 10)",
    ]);
  });

  test("time the main thread takes to answer counts against no budget; an opener that throws fails that compile with the project named", async () => {
    const lib = gitRepo({ "lib.yml": "from-project:\n  script: [echo project]\n" });
    try {
      const p = pool({ workers: 1, timeoutMs: 100 });
      // 0.8 s waiting on a slow fetch: eight times the CPU budget and more than its wall-clock cap (6x).
      const slow: IncludeHost = {
        openProject: async () => {
          await Bun.sleep(800);
          return lib;
        },
      };
      const file = "include: {project: group/lib, file: lib.yml}\nx:\n  script: [echo]\n";
      const compiled = await p.compile(file, pushContext(), lib, Infinity, slow);
      expect(compiled.ok && compiled.plan.jobs.map((j) => j.name)).toEqual(["from-project", "x"]);
      const broken: IncludeHost = {
        openProject: async () => {
          throw new Error("database is locked");
        },
      };
      const failed = await p.compile(file, pushContext(), lib, Infinity, broken);
      expect(!failed.ok && failed.errors).toEqual([{ message: "Project `group/lib` could not be read" }]);
      const next = await p.compile(file, pushContext(), lib, Infinity, slow);
      expect(next.ok).toBe(true);
    } finally {
      lib.dispose();
    }
  });

  test("the event loop keeps ticking while two 15,000-job files are linted and two with include:project and include:component compile", async () => {
    const lib = gitRepo({
      "lib.yml": "from-project:\n  script: [echo project]\n",
      "templates/deploy.yml": 'spec:\n  inputs:\n    env: {}\n---\n"deploy-$[[ inputs.env ]]":\n  script: [echo]\n',
    });
    try {
      const p = pool();
      const host = libraryHost(lib);
      const ctx = pushContext({ variables: { ...pushContext().variables, CI_SERVER_FQDN: "ci.example.com" } });
      const plain = manyJobs(15_000);
      const file = (include: string) => `include:\n${include}\n${plain}`;
      const project = file("  - {project: group/lib, ref: main, file: lib.yml}");
      const component = file("  - component: ci.example.com/group/lib/deploy@1.0.0\n    inputs: {env: prod}");
      // Four requests on two workers: two wait in the queue. No job limit: each file is parsed and checked in full.
      const { result, elapsed, worstGap } = await ticking(() =>
        Promise.all([
          p.lint(plain, null),
          p.compile(project, ctx, lib, Infinity, host),
          p.lint(plain, null),
          p.compile(component, ctx, lib, Infinity, host),
        ]),
      );
      const [linted, fromProject, lintedAgain, fromComponent] = result as [
        LintResult,
        PooledCompileResult,
        LintResult,
        PooledCompileResult,
      ];
      for (const r of [linted, lintedAgain]) expect([r.valid, r.errors]).toEqual([true, []]);
      for (const [compiled, first] of [
        [fromProject, "from-project"],
        [fromComponent, "deploy-prod"],
      ] as const) {
        expect(compiled.ok && compiled.plan.jobs.length).toBe(15_001);
        expect(compiled.ok && compiled.plan.jobs[0]!.name).toBe(first);
      }
      expect(host.opened.length).toBe(2);
      // On the event loop the four would run one after another, each blocking it for a quarter of the whole; off
      // it, the worst gap is scheduling noise, which grows with the machine's load as the whole does (13 s and a
      // 0.5 s gap on a machine loaded 5x over).
      expect(worstGap).toBeLessThan(Math.max(400, elapsed / 8));
    } finally {
      lib.dispose();
    }
  }, 90_000);
});
