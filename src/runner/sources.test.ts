// Sources from real git repositories made in temp folders: clone, fetch, exact sha, cleaning, and what a job may plant.
import { afterEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRepo } from "../../test/support/git-repo.ts";
import { createShellExecutorProvider } from "../executor/shell/index.ts";
import { SystemFailure } from "../executor/types.ts";
import { createJobLog } from "./job-log.ts";
import { createMemoryCoordinator, makeJob } from "./runner.testing.ts";
import { createRunner, noTerminalBroker } from "./runner.ts";
import { ensureProjectDir, getSources, gitDirFor } from "./sources.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) {
    await rm(d, { recursive: true, force: true });
    await rm(`${d}-git`, { recursive: true, force: true });
  }
});
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), "porthole-sources-"));
  dirs.push(dir);
  return dir;
}

/** Runs getSources into `<builds>/0/g/p` and returns the project dir and the log text. */
async function fetchInto(buildsDir: string, url: string, sha: string) {
  const projectDir = join(buildsDir, "0", "g", "p");
  const chunks: Uint8Array[] = [];
  const log = createJobLog([], (b) => chunks.push(b));
  await ensureProjectDir(buildsDir, projectDir);
  const place = { gitDir: gitDirFor(buildsDir, projectDir), workTree: projectDir };
  await getSources({ kind: "git", url, sha, ref: "main", tag: false }, place, log, new AbortController().signal);
  log.end();
  return { projectDir, log: Buffer.concat(chunks).toString() };
}

/** One shell-executor runner slot over `coordinator`, building in `buildsDir`; stop() it when done. */
function startShellRunner(coordinator: ReturnType<typeof createMemoryCoordinator>, buildsDir: string) {
  const runner = createRunner({
    coordinator,
    executors: createShellExecutorProvider(),
    broker: noTerminalBroker,
    info: { id: 1, name: "r", tags: [], runUntagged: true },
    buildsDir,
    concurrent: 1,
    version: "t",
  });
  runner.start();
  return runner;
}

describe("git sources", () => {
  test("a job gets the exact commit; the next job fetches, and finds no leftovers of the last", async () => {
    const repo = makeRepo({ "README.md": "v1\n" });
    const first = repo.sha;
    const second = repo.commit({ "README.md": "v2\n" });
    const base = await tempDir();
    const coordinator = createMemoryCoordinator();
    const runner = startShellRunner(coordinator, base);
    try {
      const job = (id: number, sha: string, script: string[]) =>
        makeJob(id, { sources: { kind: "git", url: repo.dir, sha, ref: "main", tag: false }, script });
      coordinator.enqueue(
        job(1, first, ["cat README.md", "git rev-parse HEAD", "touch junk.txt", "echo changed > README.md"]),
      );
      expect(await coordinator.result(1)).toEqual({ status: "success" });
      const log1 = coordinator.trace(1);
      expect(log1).toContain("Fetching changes...");
      expect(log1).toContain("Created fresh repository.");
      expect(log1).toContain(`Checking out ${first.slice(0, 8)} as detached HEAD (ref is main)...`);
      expect(log1).toMatch(new RegExp(`\nv1\n.*\n${first}\n`));

      coordinator.enqueue(job(2, second, ["cat README.md", "test ! -e junk.txt && echo no-junk"]));
      expect(await coordinator.result(2)).toEqual({ status: "success" });
      const log2 = coordinator.trace(2);
      expect(log2).toContain("Reinitialized existing Git repository");
      expect(log2).not.toContain("Created fresh repository.");
      expect(log2).toContain("\nv2\n");
      expect(log2).toContain("\nno-junk\n");
    } finally {
      await runner.stop();
    }
  });

  test("a repository that cannot be fetched is a system failure with git's own words in the log", async () => {
    const base = await tempDir();
    const coordinator = createMemoryCoordinator();
    const runner = startShellRunner(coordinator, base);
    try {
      const sha = "0123456789abcdef0123456789abcdef01234567";
      coordinator.enqueue(
        makeJob(3, { sources: { kind: "git", url: join(base, "missing"), sha, ref: "main", tag: false } }),
      );
      expect(await coordinator.result(3)).toEqual({ status: "failed", failureReason: "runner_system_failure" });
      const trace = coordinator.trace(3);
      expect(trace).toContain("fatal:");
      expect(trace).toContain("ERROR: Job failed: could not fetch the repository");
    } finally {
      await runner.stop();
    }
  });

  test("hooks and config a job planted in .git do not run on the next fetch", async () => {
    const repo = makeRepo({ "a.txt": "a\n" });
    const base = await tempDir();
    const { projectDir } = await fetchInto(base, repo.dir, repo.sha);
    const sentinel = join(base, "pwned");
    const hook = join(projectDir, ".git", "hooks", "post-checkout");
    mkdirSync(join(projectDir, ".git", "hooks"), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\ntouch ${sentinel}-hook\n`);
    chmodSync(hook, 0o755);
    const config = join(projectDir, ".git", "config");
    writeFileSync(
      config,
      `${readFileSync(config, "utf8")}[core]\n\tfsmonitor = touch ${sentinel}-fsmonitor\n\thooksPath = .git/hooks\n`,
    );
    const next = repo.commit({ "a.txt": "b\n" });
    await fetchInto(base, repo.dir, next);
    expect(existsSync(`${sentinel}-hook`)).toBe(false);
    expect(existsSync(`${sentinel}-fsmonitor`)).toBe(false);
    expect(readFileSync(join(projectDir, "a.txt"), "utf8")).toBe("b\n");
  });

  test("a .git/commondir a job planted, with a config moving the work tree elsewhere, is never read", async () => {
    const repo = makeRepo({ "a.txt": "a\n" });
    const base = await tempDir();
    const outside = await tempDir();
    const { projectDir } = await fetchInto(base, repo.dir, repo.sha);
    const evil = join(projectDir, ".evil");
    for (const dir of ["objects", "refs", "info"]) mkdirSync(join(evil, dir), { recursive: true });
    writeFileSync(join(projectDir, ".git", "commondir"), "../.evil\n");
    writeFileSync(
      join(evil, "config"),
      `[core]\n\tworktree = ${outside}\n[filter "x"]\n\tsmudge = "touch ${outside}/smudged; cat"\n`,
    );
    writeFileSync(join(evil, "info", "attributes"), "* filter=x\n");
    writeFileSync(join(projectDir, "a.txt"), "changed by the job\n");
    await fetchInto(base, repo.dir, repo.commit({ "a.txt": "b\n" }));
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(join(projectDir, "a.txt"), "utf8")).toBe("b\n");
    expect(existsSync(evil)).toBe(false);
  });

  test("a project dir or .git a job replaced by a link is not followed", async () => {
    const repo = makeRepo({ "a.txt": "a\n" });
    const base = await tempDir();
    const outside = await tempDir();
    writeFileSync(join(outside, "precious.txt"), "keep me\n");
    const { projectDir } = await fetchInto(base, repo.dir, repo.sha);
    await rm(projectDir, { recursive: true });
    symlinkSync(outside, projectDir);
    await fetchInto(base, repo.dir, repo.sha);
    expect(readFileSync(join(outside, "precious.txt"), "utf8")).toBe("keep me\n");
    expect(existsSync(join(outside, ".git"))).toBe(false);

    const other = makeRepo({ "other.txt": "other\n" });
    await rm(join(projectDir, ".git"), { recursive: true });
    symlinkSync(join(other.dir, ".git"), join(projectDir, ".git"));
    await fetchInto(base, repo.dir, repo.sha);
    expect(other.git("rev-parse", "HEAD")).toBe(other.sha);
    expect(readFileSync(join(projectDir, "a.txt"), "utf8")).toBe("a\n");
  });

  test("a tracked folder a job replaced by a link to elsewhere is written as a folder, never through the link", async () => {
    const repo = makeRepo({ "dir/file.txt": "v1\n", "keep.txt": "k\n" });
    const base = await tempDir();
    const outside = await tempDir();
    writeFileSync(join(outside, "precious.txt"), "keep me\n");
    const { projectDir } = await fetchInto(base, repo.dir, repo.sha);
    await rm(join(projectDir, "dir"), { recursive: true });
    symlinkSync(outside, join(projectDir, "dir"));
    symlinkSync(outside, join(projectDir, "untracked-link"));
    const next = repo.commit({ "dir/file.txt": "v2\n", "dir/new.txt": "new\n" });
    await fetchInto(base, repo.dir, next);
    expect(readdirSync(outside)).toEqual(["precious.txt"]);
    expect(lstatSync(join(projectDir, "dir")).isDirectory()).toBe(true);
    expect(readFileSync(join(projectDir, "dir", "file.txt"), "utf8")).toBe("v2\n");
    expect(existsSync(join(projectDir, "untracked-link"))).toBe(false);
  });

  test("the job's .git is a copy: what a job writes there never reaches the runner's git directory", async () => {
    const repo = makeRepo({ "a.txt": "a\n" });
    const base = await tempDir();
    const { projectDir } = await fetchInto(base, repo.dir, repo.sha);
    const gitDir = gitDirFor(base, projectDir);
    expect(readFileSync(join(projectDir, ".git", "HEAD"), "utf8").trim()).toBe(repo.sha);
    expect(readFileSync(join(projectDir, ".git", "config"), "utf8")).toContain("bare = false");
    writeFileSync(join(projectDir, ".git", "config"), "[core]\n\tfsmonitor = touch /nonexistent\n");
    await fetchInto(base, repo.dir, repo.sha);
    expect(readFileSync(join(gitDir, "config"), "utf8")).not.toContain("fsmonitor");
    expect(readFileSync(join(projectDir, ".git", "config"), "utf8")).not.toContain("fsmonitor");
  });

  test("a file:// URL works as a local path does", async () => {
    const repo = makeRepo({ "a.txt": "from file url\n" });
    const { projectDir, log } = await fetchInto(await tempDir(), `file://${repo.dir}`, repo.sha);
    expect(readFileSync(join(projectDir, "a.txt"), "utf8")).toBe("from file url\n");
    expect(log).toContain(`Checking out ${repo.sha.slice(0, 8)} as detached HEAD (ref is main)...`);
  });

  test("a sha or URL that could be read as an option is refused before git runs", async () => {
    const base = await tempDir();
    await expect(fetchInto(base, "/tmp/x", "--upload-pack=touch")).rejects.toBeInstanceOf(SystemFailure);
    await expect(fetchInto(base, "--upload-pack=touch /tmp/x", "0123456")).rejects.toBeInstanceOf(SystemFailure);
  });
});
