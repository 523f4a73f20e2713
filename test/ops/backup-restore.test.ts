// `porthole backup` during a running pipeline, `porthole restore` into an empty data_dir: every finished job and its
// log come back; restore refuses a non-empty data_dir and a file that is not a backup.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPorthole, tempFolder } from "../../src/cli/cli.testing.ts";
import { type ServedPorthole, startServed } from "../support/served-porthole.ts";
import { json } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const CI_CONFIG = [
  "quick-1:\n  script: [echo quick-one-finished]\n",
  "quick-2:\n  script: ['for i in 1 2 3; do echo quick-two-line-$i; done']\n",
  "slow:\n  script: ['echo slow-started; sleep 60']\n",
].join("");

const dirs: string[] = [];
const servers: ServedPorthole[] = [];
afterAll(async () => {
  for (const s of servers) await s.process.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const folder = () => {
  const d = tempFolder("porthole-backup-");
  dirs.push(d);
  return d;
};

type Job = { id: number; name: string; status: string };

describe("backup and restore", () => {
  test("a backup made during a running pipeline restores every finished job and its log", async () => {
    const dataDir = folder();
    const server = await startServed(dataDir);
    servers.push(server);
    const project = await json<{ id: number }>(
      server.api("/projects", { method: "POST", json: { name: "backed-up", ci_config: CI_CONFIG } }),
    );
    const pipeline = await json<{ id: number }>(
      server.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
    );
    const jobsUrl = `/projects/${project.id}/pipelines/${pipeline.id}/jobs`;
    const atBackup = await waitFor("the quick jobs to finish while slow runs", async () => {
      const jobs = await json<Job[]>(server.api(jobsUrl));
      const by = (n: string) => jobs.find((j) => j.name === n)?.status;
      return by("quick-1") === "success" && by("quick-2") === "success" && by("slow") === "running" && jobs;
    });
    const logs = new Map<number, string>();
    for (const job of atBackup.filter((j) => j.status === "success"))
      logs.set(job.id, await (await server.api(`/projects/${project.id}/jobs/${job.id}/trace`)).text());
    expect([...logs.values()].join("")).toContain("quick-one-finished");
    mkdirSync(join(dataDir, "recordings"), { recursive: true });
    writeFileSync(join(dataDir, "recordings", "job-1-1.cast"), '{"version":2}\n[0.1,"o","recorded"]\n');
    mkdirSync(join(dataDir, "artifacts", "1"), { recursive: true });
    writeFileSync(join(dataDir, "artifacts", "1", "artifacts.zip"), "zip bytes");

    const file = join(folder(), "porthole-backup.tar");
    const made = await runPorthole(["backup", file, "--data-dir", dataDir], folder());
    expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: "" });
    expect(made.stdout).toContain(file);
    // The pipeline is still running: the backup did not stop or block the server.
    expect((await json<Job[]>(server.api(jobsUrl))).find((j) => j.name === "slow")!.status).toBe("running");

    const restoredDir = join(folder(), "restored");
    const restored = await runPorthole(["restore", file, "--data-dir", restoredDir], folder());
    expect({ code: restored.code, stderr: restored.stderr }).toEqual({ code: 0, stderr: "" });
    expect(readFileSync(join(restoredDir, "recordings", "job-1-1.cast"), "utf8")).toContain("recorded");
    expect(readFileSync(join(restoredDir, "artifacts", "1", "artifacts.zip"), "utf8")).toBe("zip bytes");

    const second = await startServed(restoredDir);
    servers.push(second);
    const jobs = await json<Job[]>(second.api(jobsUrl));
    expect(jobs.map((j) => j.name).sort()).toEqual(["quick-1", "quick-2", "slow"]);
    for (const [id, log] of logs) {
      expect(jobs.find((j) => j.id === id)!.status).toBe("success");
      expect(await (await second.api(`/projects/${project.id}/jobs/${id}/trace`)).text()).toBe(log);
    }
  }, 90_000);

  test("restore refuses a data_dir that is not empty, and a tar that is not a backup", async () => {
    const cwd = folder();
    const busy = folder();
    writeFileSync(join(busy, "porthole.db"), "someone's data");
    const stray = join(cwd, "stray.tar");
    writeFileSync(join(cwd, "notes.txt"), "not a database");
    Bun.spawnSync(["tar", "-cf", stray, "-C", cwd, "notes.txt"]);

    const intoBusy = await runPorthole(["restore", stray, "--data-dir", busy], cwd);
    expect(intoBusy.code).toBe(2);
    expect(intoBusy.stderr).toContain(`${busy} is not empty`);
    expect(readFileSync(join(busy, "porthole.db"), "utf8")).toBe("someone's data");

    const empty = join(cwd, "empty-data");
    const notBackup = await runPorthole(["restore", stray, "--data-dir", empty], cwd);
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr).toContain('is not a porthole backup: it holds "notes.txt"');

    // A data_dir with only the database (no recordings, no git mirrors yet) backs up and restores too.
    const fresh = join(cwd, "fresh-data");
    expect((await runPorthole(["migrate", "--data-dir", fresh], cwd)).code).toBe(0);
    const freshBackup = join(cwd, "fresh.tar");
    const backedUp = await runPorthole(["backup", freshBackup, "--data-dir", fresh], cwd);
    expect({ code: backedUp.code, stderr: backedUp.stderr }).toEqual({ code: 0, stderr: "" });
    expect((await runPorthole(["restore", freshBackup, "--data-dir", join(cwd, "fresh-restored")], cwd)).code).toBe(0);

    const noDb = await runPorthole(["backup", join(cwd, "b.tar"), "--data-dir", join(cwd, "nothing")], cwd);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain("no database at");
  });
});
