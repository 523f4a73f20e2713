// A full disk under data_dir/artifacts (a tiny tmpfs): the upload that does not fit fails its job with a clear line,
// leaves no partial file, and an earlier job's artifacts stay intact. Needs root to mount; skipped otherwise.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const CI = `
stages: [one, two]
small:
  stage: one
  script: [head -c 10000 /dev/urandom > small.bin]
  artifacts: {paths: [small.bin]}
big:
  stage: two
  dependencies: []
  script: [head -c 200000 /dev/urandom > big.bin]
  artifacts: {paths: [big.bin]}
`;

const mountTiny = (at: string) => Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", at]).exitCode === 0;
const probe = mkdtempSync(join(tmpdir(), "porthole-mount-probe-"));
const canMount = mountTiny(probe) && Bun.spawnSync(["umount", probe]).exitCode === 0;
rmSync(probe, { recursive: true, force: true });
if (!canMount) console.log("SKIP artifacts disk-full test: cannot mount a tmpfs here (needs root)");

let t: TestPorthole;
let mounted = false;
let dir = "";
beforeAll(async () => {
  if (!canMount) return;
  t = await startTestPorthole();
  dir = join(t.dataDir, "artifacts");
  mkdirSync(dir, { recursive: true });
  mounted = mountTiny(dir);
});
afterAll(async () => {
  if (mounted) Bun.spawnSync(["umount", dir]);
  await t?.stop();
});

test.skipIf(!canMount)(
  "no space left: the job fails with a clear line, nothing half-written, other artifacts intact",
  async () => {
    expect(mounted).toBe(true);
    const repo = makeRepo({ ".gitlab-ci.yml": CI });
    const created = await t.api("/projects", { method: "POST", json: { name: "full", import_url: repo.dir } });
    const projectId = ((await created.json()) as { id: number }).id;
    const res = await t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } });
    const pipelineId = ((await res.json()) as { id: number }).id;
    type Job = { id: number; name: string; status: string };
    const jobs = await waitFor("the pipeline to settle", async () => {
      const list = (await (await t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs`)).json()) as Job[];
      return (
        list.every((j) => ["success", "failed"].includes(j.status)) && Object.fromEntries(list.map((j) => [j.name, j]))
      );
    });
    expect(jobs.small!.status).toBe("success");
    expect(jobs.big!.status).toBe("failed");
    const log = await (await t.api(`/projects/${projectId}/jobs/${jobs.big!.id}/trace`)).text();
    expect(log).toContain('ERROR: Uploading artifacts as "archive" to coordinator... the server has no space left');
    const leftovers = readdirSync(join(dir, String(projectId)), { recursive: true }).map(String);
    expect(leftovers.filter((f) => f.includes("partial"))).toEqual([]);
    const small = await t.api(`/projects/${projectId}/jobs/${jobs.small!.id}/artifacts/small.bin`);
    expect(small.status).toBe(200);
    expect((await small.arrayBuffer()).byteLength).toBe(10000);
    expect((await t.api(`/projects/${projectId}/jobs/${jobs.big!.id}/artifacts`)).status).toBe(404);
  },
  60_000,
);
