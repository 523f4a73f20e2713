// Issue 10 item 2: a job plants git state (`.git/commondir`, filters, hooks, fsmonitor) in its project dir; the next
// job's checkout on the host must run none of it and still check out the right sources. Docker on the real engine.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noDocker } from "../support/docker-engine.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

/**
 * Run by the first job in its project dir, with `$1` a host folder: every trick writes a file named after itself
 * there when the host runs it. The job itself cannot reach that folder (it is not mounted into the container).
 */
const PLANT = `set -eu
mark=$1
evil=$CI_PROJECT_DIR/.evil
mkdir -p "$evil/info" "$evil/hooks" "$evil/objects" "$evil/refs" .git/info .git/hooks
# The common dir a reinitialised .git would follow: its config defines a smudge filter, info/attributes applies it.
printf '../.evil\\n' > .git/commondir
cat > "$evil/config" <<EOF
[core]
	repositoryformatversion = 0
	fsmonitor = "touch $mark/fsmonitor; false"
	hooksPath = $evil/hooks
	sshCommand = "touch $mark/sshcommand; false"
[filter "pwn"]
	smudge = "touch $mark/smudge; cat"
	clean = cat
EOF
printf '* filter=pwn\\n' > "$evil/info/attributes"
# The same in .git itself, and hooks in both places.
cp "$evil/config" .git/config
cp "$evil/info/attributes" .git/info/attributes
for dir in "$evil/hooks" .git/hooks; do
  for hook in post-checkout reference-transaction post-index-change pre-auto-gc; do
    printf '#!/bin/sh\\ntouch %s/hook-%s\\n' "$mark" "$hook" > "$dir/$hook"
    chmod +x "$dir/$hook"
  done
done
# A work-tree attributes file naming the filter, untracked.
printf '* filter=pwn\\n' > .gitattributes
# A changed tracked file, so that the next checkout writes it (through the filter).
echo tampered > README.md
echo planted
`;

const ciConfig = (image: string | null, mark: string) => `
stages: [plant, check]
variables:
  MARK: "${mark}"
plant:
  stage: plant
${image ? `  image: ${image}\n` : ""}  script:
    - sh plant.sh "$MARK"
check:
  stage: check
${image ? `  image: ${image}\n` : ""}  script:
    - cat README.md
    - test ! -e .evil && test ! -e .git/commondir && test ! -e .gitattributes && echo no-leftovers
    - cat .git/HEAD
`;

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.splice(0)) await stop();
});

type Job = { id: number; name: string; status: string };

/** Makes a project of `files` and runs its pipeline as a developer; answers each job's status and trace by name. */
async function runPipeline(t: TestPorthole, files: Record<string, string>) {
  const repo = makeRepo(files);
  const name = `escape-${crypto.randomUUID().slice(0, 8)}`;
  const project = await json<{ id: number }>(
    t.api("/projects", { method: "POST", json: { name, import_url: repo.dir } }),
  );
  const developer = await userWithRole(t, name, project.id, 30);
  // A Developer may run on main only once it is unprotected: the attack under test is the job's, not the ref's.
  await t.api(`/projects/${project.id}/protected_branches/main`, { method: "DELETE" });
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" }, token: developer.token }),
  );
  const jobs = await json<Job[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  const traces: Record<string, string> = {};
  const statuses: Record<string, string> = {};
  for (const job of jobs) {
    const done = await waitFor(
      `job ${job.name} to finish`,
      async () => {
        const now = await json<Job>(t.api(`/projects/${project.id}/jobs/${job.id}`));
        return ["success", "failed", "canceled"].includes(now.status) && now;
      },
      90_000,
    );
    traces[job.name] = await (await t.api(`/projects/${project.id}/jobs/${job.id}/trace`)).text();
    statuses[job.name] = done.status;
  }
  return { statuses, traces, sha: repo.sha };
}

/** Replays the attack: answers what the host ran (the marker folder's files) and how both jobs went. */
async function replay(t: TestPorthole, image: string | null) {
  const mark = mkdtempSync(join(tmpdir(), "porthole-git-escape-"));
  stops.push(async () => rmSync(mark, { recursive: true, force: true }));
  const files = { ".gitlab-ci.yml": ciConfig(image, mark), "README.md": "the real sources\n", "plant.sh": PLANT };
  const result = await runPipeline(t, files);
  return { ...result, markers: readdirSync(mark) };
}

function expectRefused(result: Awaited<ReturnType<typeof replay>>) {
  expect(result.traces.plant).toContain("\nplanted\n");
  expect(result.markers).toEqual([]);
  expect(result.statuses).toEqual({ plant: "success", check: "success" });
  expect(result.traces.check).toContain("\nthe real sources\n");
  expect(result.traces.check).toContain("\nno-leftovers\n");
  expect(result.traces.check).toContain(`\n${result.sha}\n`);
}

/** A job whose image entrypoint leaves a file in the project dir as soon as the container starts. */
const ENTRYPOINT_CI = `
early:
  image:
    name: porthole-test/busybox
    entrypoint: ["sh", "-c", "touch \\"$CI_PROJECT_DIR/entrypoint-ran\\"; exec \\"$@\\"", "--"]
  script:
    - test -e entrypoint-ran && echo entrypoint-ran-after-the-sources
`;

describe.skipIf(noDocker)("Docker executor: git state a job plants in its project dir", () => {
  let t: TestPorthole;
  beforeAll(async () => {
    t = await startTestPorthole({
      runner: { executor: "docker", concurrent: 1 },
      docker: { default_image: "porthole-test/busybox" },
    });
    stops.push(() => t.stop());
  });

  test("runs nothing on the host at the next checkout, which still gets the right sources", async () => {
    expectRefused(await replay(t, "porthole-test/busybox"));
  }, 180_000);

  test("nothing of the job (its image's entrypoint) runs while the host writes the project dir", async () => {
    const result = await runPipeline(t, { ".gitlab-ci.yml": ENTRYPOINT_CI });
    expect(result.statuses).toEqual({ early: "success" });
    expect(result.traces.early).toContain("\nentrypoint-ran-after-the-sources\n");
  }, 120_000);
});

describe("shell executor: git state a job plants in its project dir", () => {
  test("runs nothing at the next checkout, which still gets the right sources", async () => {
    const t = await startTestPorthole({ runner: { executor: "shell", concurrent: 1 } });
    stops.push(() => t.stop());
    expectRefused(await replay(t, null));
    expect(existsSync(join(t.dataDir, "builds-git"))).toBe(true);
  }, 120_000);
});
