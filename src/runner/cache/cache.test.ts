// Caches through the real runner and shell executor: saved after one job, restored in the next, by key and policy.
import { afterEach, describe, expect, test } from "bun:test";
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobPayload, PayloadCache } from "../../domain/coordinator.ts";
import { createShellExecutorProvider } from "../../executor/shell/index.ts";
import { createMemoryCoordinator, makeJob } from "../runner.testing.ts";
import { createRunner, noTerminalBroker } from "../runner.ts";
import { CACHE_FILE, extractArchive, writeArchive } from "./cache-archive.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function startRunner() {
  const dir = await mkdtemp(join(tmpdir(), "porthole-cache-"));
  const coordinator = createMemoryCoordinator();
  const buildsDir = join(dir, "builds");
  const runner = createRunner({
    coordinator,
    executors: createShellExecutorProvider(),
    broker: noTerminalBroker,
    info: { id: 7, name: "test-runner", tags: [], runUntagged: true },
    buildsDir,
    concurrent: 1,
    version: "9.9.9",
  });
  runner.start();
  cleanups.push(async () => {
    await runner.stop();
    await rm(dir, { recursive: true, force: true });
  });
  let nextId = 1;
  const run = async (overrides: Partial<JobPayload>) => {
    const job = makeJob(nextId++, overrides);
    coordinator.enqueue(job);
    const result = await coordinator.result(job.id);
    return { result, trace: coordinator.trace(job.id).replace(/\x1b\[[0-9;]*[mK]/g, "") };
  };
  return { run, dir, buildsDir };
}

const cache = (overrides: Partial<PayloadCache> = {}): PayloadCache => ({
  key: "deps",
  paths: ["vendor/"],
  untracked: false,
  policy: "pull-push",
  when: "on_success",
  fallbackKeys: [],
  keySuffix: "-non_protected",
  ...overrides,
});

describe("cache", () => {
  test("saved after a successful job and restored in the next one, with gitlab-runner's lines", async () => {
    const { run, buildsDir } = await startRunner();
    const first = await run({
      script: ["mkdir -p vendor/sub && echo one > vendor/sub/a.txt && echo two > vendor/b.txt"],
      caches: [cache()],
    });
    expect(first.result).toEqual({ status: "success" });
    expect(first.trace).toContain("Restoring cache");
    expect(first.trace).toContain("Checking cache for deps-non_protected...");
    expect(first.trace).toContain("WARNING: file does not exist");
    expect(first.trace).toContain("Saving cache for successful job");
    expect(first.trace).toContain("Creating cache deps-non_protected...");
    expect(first.trace).toContain("vendor/: found 4 matching artifact files and directories");
    expect(first.trace).toContain("Created cache");
    // The cache lives on the runner's side, outside the builds directory every job can see.
    const stored = join(`${buildsDir}-cache`, "group", "project", "deps-non_protected");
    expect((await Array.fromAsync(new Bun.Glob("cache.tar.*").scan(stored))).length).toBe(1);

    const second = await run({ script: ["cat vendor/sub/a.txt vendor/b.txt"], caches: [cache({ policy: "pull" })] });
    expect(second.result).toEqual({ status: "success" });
    expect(second.trace).toContain("Successfully extracted cache");
    expect(second.trace).toMatch(/\none\ntwo\n/);
    expect(second.trace).toContain("Not uploading cache deps-non_protected due to policy");
    expect(second.trace).not.toContain("Saving cache for successful job\nCreating cache");
  });

  test("$CI_PROJECT_DIR/… paths mean the same folder inside the project", async () => {
    const { run } = await startRunner();
    const saved = await run({
      script: ["mkdir vendor && echo x > vendor/x"],
      caches: [cache({ paths: ["$CI_PROJECT_DIR/vendor/"] })],
    });
    expect(saved.trace).toContain("\nvendor/: found 2 matching artifact files and directories");
  });

  test("a push-only cache is never restored; a missing path is a warning; an empty cache is not written", async () => {
    const { run } = await startRunner();
    await run({ script: ["mkdir vendor && echo x > vendor/x"], caches: [cache()] });
    const push = await run({ script: ["test ! -e vendor"], caches: [cache({ policy: "push", paths: ["nothing/"] })] });
    expect(push.result).toEqual({ status: "success" });
    expect(push.trace).toContain("Not downloading cache deps-non_protected due to policy");
    expect(push.trace).toContain("WARNING: nothing/: no matching files.");
    expect(push.trace).toContain("Skipping cache archiving due to empty cache");
  });

  test("fallback_keys then CACHE_FALLBACK_KEY are tried in order after the job's own key", async () => {
    const { run } = await startRunner();
    await run({ script: ["mkdir vendor && echo main > vendor/m"], caches: [cache({ key: "main" })] });
    const job = await run({
      script: ["cat vendor/m"],
      caches: [cache({ key: "feature-$BRANCH", fallbackKeys: ["missing"], policy: "pull" })],
      variables: [
        { key: "BRANCH", value: "2", masked: false, raw: false },
        { key: "CACHE_FALLBACK_KEY", value: "main-non_protected", masked: false, raw: false },
      ],
    });
    expect(job.result).toEqual({ status: "success" });
    expect(job.trace).toContain("Checking cache for feature-2-non_protected...");
    expect(job.trace).toContain("Checking cache for missing-non_protected...");
    expect(job.trace).toContain("Checking cache for main-non_protected...");
    expect(job.trace).toContain("Successfully extracted cache");
    expect(job.trace).toMatch(/\nmain\n/);
  });

  test("an unprotected ref may not fall back to a protected cache through CACHE_FALLBACK_KEY", async () => {
    const { run } = await startRunner();
    await run({
      script: ["mkdir vendor && echo secret > vendor/s"],
      caches: [cache({ key: "main", keySuffix: "-protected" })],
    });
    const job = await run({
      script: ["test ! -e vendor/s"],
      caches: [cache({ key: "feature", policy: "pull" })],
      variables: [{ key: "CACHE_FALLBACK_KEY", value: "main-protected", masked: false, raw: false }],
    });
    expect(job.result).toEqual({ status: "success" });
    expect(job.trace).not.toContain("Checking cache for main-protected");
  });

  test("when: on_failure saves for a failed job only; on_success does not", async () => {
    const { run } = await startRunner();
    const failed = await run({
      script: ["mkdir vendor && echo f > vendor/f", "exit 3"],
      caches: [cache({ key: "fail", when: "on_failure" }), cache({ key: "ok" })],
    });
    expect(failed.result).toMatchObject({ status: "failed" });
    expect(failed.trace).toContain("Saving cache for failed job");
    expect(failed.trace).toContain("Creating cache fail-non_protected...");
    expect(failed.trace).not.toContain("Creating cache ok-non_protected...");
  });

  test("a link in the cache is kept as a link: the runner never archives what it points to", async () => {
    const { run, dir } = await startRunner();
    const outside = join(dir, "outside");
    await mkdir(outside);
    await writeFile(join(outside, "secret"), "server secret\n");
    const first = await run({
      script: [`mkdir vendor && ln -s ${outside}/secret vendor/link && ln -s ${outside} dirlink`],
      caches: [cache({ paths: ["vendor/", "dirlink/secret", "../outside/secret", `${outside}/secret`] })],
    });
    expect(first.result).toEqual({ status: "success" });
    expect(first.trace).toContain("WARNING: dirlink/secret: no matching files.");
    expect(first.trace).toContain("WARNING: ../outside/secret: no matching files.");
    expect(first.trace).toContain(`WARNING: ${outside}/secret: no matching files.`);
    const second = await run({
      script: ["test -L vendor/link && readlink vendor/link && test ! -e dirlink"],
      caches: [cache({ policy: "pull" })],
    });
    expect(second.result).toEqual({ status: "success" });
    expect(second.trace).toContain(`${outside}/secret\n`);
  });

  test("an extract replaces a link the project dir has where the cache has a directory", async () => {
    const { dir } = await startRunner();
    const [source, project, target] = ["source", "project", "target"].map((d) => join(dir, d)) as [
      string,
      string,
      string,
    ];
    await mkdir(join(source, "vendor"), { recursive: true });
    await mkdir(project);
    await mkdir(target);
    await writeFile(join(source, "vendor", "x"), "x\n");
    await writeArchive(source, ["vendor", "vendor/x"], join(dir, "c", CACHE_FILE));
    await symlink(target, join(project, "vendor"));
    await extractArchive(join(dir, "c", CACHE_FILE), project);
    expect((await lstat(join(project, "vendor"))).isDirectory()).toBe(true);
    expect(await readFile(join(project, "vendor", "x"), "utf8")).toBe("x\n");
    expect(await readdir(target)).toEqual([]);
  });

  test("a restored file never keeps a set-user-ID bit, nor its archived owner", async () => {
    const { dir } = await startRunner();
    const [source, project] = [join(dir, "source"), join(dir, "project")];
    await mkdir(source);
    await mkdir(project);
    await writeFile(join(source, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    await chmod(join(source, "tool"), 0o4755);
    if (process.getuid?.() === 0) await chown(join(source, "tool"), 1234, 1234);
    await writeArchive(source, ["tool"], join(dir, "c", CACHE_FILE));
    await extractArchive(join(dir, "c", CACHE_FILE), project);
    const stat = await lstat(join(project, "tool"));
    expect(stat.mode & 0o6000).toBe(0);
    expect(stat.uid).toBe(process.getuid?.() ?? stat.uid);
  });
});
