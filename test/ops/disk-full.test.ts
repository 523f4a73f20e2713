// A job printing 100 MB onto a 30 MB data_dir (a tmpfs): it ends runner_system_failure saying the disk is full, the
// server log names the database and the error, memory stays bounded, and earlier logs and reads are unharmed.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tempFolder } from "../../src/cli/cli.testing.ts";
import { type ServedPorthole, startPipeline, startServed } from "../support/served-porthole.ts";
import { json } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const isRoot = process.getuid?.() === 0;
const dataDir = tempFolder("porthole-disk-full-");
const mounted = isRoot && Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=30m", "tmpfs", dataDir]).exitCode === 0;
if (!mounted) console.log("skipped: disk-full test (needs root to mount a 30 MB tmpfs)");

let server: ServedPorthole | undefined;
afterAll(async () => {
  await server?.process.stop();
  if (mounted) Bun.spawnSync(["umount", dataDir]);
  rmdirSync(dataDir);
});

const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

type Job = { id: number; status: string; failure_reason?: string };

describe.skipIf(!mounted)("a full disk under data_dir", () => {
  test("the flooding job fails as runner_system_failure with a line saying so; the server stays well", async () => {
    server = await startServed(dataDir, ["--limits-output-limit", "204800"]); // 200 MB: the disk fills first
    const s = server;
    const run = async (name: string, script: string) => {
      const { project, jobs } = await startPipeline<Job>(s, name, `${name}:\n  script: ['${script}']\n`);
      const [job] = jobs;
      return { project: project.id, job: job!.id };
    };
    const finished = (p: { project: number; job: number }, timeoutMs: number) =>
      waitFor(
        `job ${p.job} to finish`,
        async () => {
          const job = await json<Job>(s.api(`/projects/${p.project}/jobs/${p.job}`));
          return !["created", "pending", "running"].includes(job.status) && job;
        },
        timeoutMs,
      );

    const small = await run("small", "echo small-job-log-marker");
    expect((await finished(small, 30_000)).status).toBe("success");
    const smallLog = await (await s.api(`/projects/${small.project}/jobs/${small.job}/trace`)).text();
    expect(smallLog).toContain("small-job-log-marker");

    const pid = s.process.pid;
    let peak = rssBytes(pid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(pid));
    }, 50);
    const flood = await run("flood", 'head -c 100000000 /dev/zero | tr "\\\\0" x | fold -w 99');
    let result: Job;
    try {
      result = await finished(flood, 60_000);
    } finally {
      clearInterval(sampler);
    }
    console.log(`server RSS peak during the flood: ${Math.round(peak / 1e6)} MB`);
    expect(result).toMatchObject({ status: "failed", failure_reason: "runner_system_failure" });
    const floodLog = await (await s.api(`/projects/${flood.project}/jobs/${flood.job}/trace`)).text();
    expect(floodLog).toContain("ERROR: Job failed: the disk is full");
    expect(floodLog.length).toBeLessThan(30 * 1024 * 1024); // at most what the tmpfs holds
    expect(peak).toBeLessThan(300_000_000);

    const log = s.process.output();
    expect(log).toContain("the disk is full");
    expect(log).toContain(`${dataDir}/porthole.db`);
    expect(log).toMatch(/database or disk is full|only \d+ MB free, below the 8 MB kept/);
    expect(log).not.toContain("but the log has");

    // The server keeps serving reads, and the earlier job's log is whole.
    expect((await s.api("/version")).status).toBe(200);
    expect(await (await s.api(`/projects/${small.project}/jobs/${small.job}/trace`)).text()).toBe(smallLog);

    // With the last bytes taken, readiness fails on the disk check (and says where); reads still work.
    const filler = join(dataDir, "filler");
    Bun.spawnSync(["dd", "if=/dev/zero", `of=${filler}`, "bs=64k"], { stderr: "ignore" });
    try {
      const ready = await fetch(`${s.url}/-/readiness`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: "failed",
        disk_check: [{ status: "failed", message: `the disk under ${dataDir} is full` }],
        db_check: [{ status: "ok" }],
      });
      expect((await s.api("/version")).status).toBe(200);
    } finally {
      rmSync(filler);
    }
  }, 180_000);
});
