// Issue 10 item 2: a job plants git state (`.git/commondir`, filters, hooks, fsmonitor) in its project dir; the next
// job's checkout on the host must run none of it and still check out the right sources. Docker on the real engine.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noDocker } from "../docker/engine.ts";
import { makeRepo } from "../helpers/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../helpers/porthole.ts";
import { waitFor } from "../helpers/wait.ts";
import { json, userWithRole } from "../terminal/fixtures.ts";

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

/** Runs the two-stage attack pipeline as a developer and answers the host marker folder and both traces. */
async function replay(t: TestPorthole, image: string | null) {
  const mark = mkdtempSync(join(tmpdir(), "porthole-git-escape-"));
  stops.push(async () => rmSync(mark, { recursive: true, force: true }));
  const repo = makeRepo({
    ".gitlab-ci.yml": ciConfig(image, mark),
    "README.md": "the real sources\n",
    "plant.sh": PLANT,
  });
  const project = await json<{ id: number }>(
    t.api("/projects", { method: "POST", json: { name: "escape", import_url: repo.dir } }),
  );
  const developer = await userWithRole(t, "dev", project.id, 30);
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" }, token: developer.token }),
  );
  const jobs = await json<Job[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  const traces: Record<string, string> = {};
  const statuses: Record<string, string> = {};
  for (const name of ["plant", "check"]) {
    const id = jobs.find((j) => j.name === name)!.id;
    const done = await waitFor(
      `job ${name} to finish`,
      async () => {
        const job = await json<Job>(t.api(`/projects/${project.id}/jobs/${id}`));
        return ["success", "failed", "canceled"].includes(job.status) && job;
      },
      90_000,
    );
    traces[name] = await (await t.api(`/projects/${project.id}/jobs/${id}/trace`)).text();
    statuses[name] = done.status;
  }
  return { markers: readdirSync(mark), statuses, traces, sha: repo.sha };
}

function expectRefused(result: Awaited<ReturnType<typeof replay>>) {
  expect(result.traces.plant).toContain("\nplanted\n");
  expect(result.markers).toEqual([]);
  expect(result.statuses).toEqual({ plant: "success", check: "success" });
  expect(result.traces.check).toContain("\nthe real sources\n");
  expect(result.traces.check).toContain("\nno-leftovers\n");
  expect(result.traces.check).toContain(`\n${result.sha}\n`);
}

describe.skipIf(noDocker)("Docker executor: git state a job plants in its project dir", () => {
  test("runs nothing on the host at the next checkout, which still gets the right sources", async () => {
    const t = await startTestPorthole({
      runner: { executor: "docker", concurrent: 1 },
      docker: { default_image: "porthole-test/busybox" },
    });
    stops.push(() => t.stop());
    expectRefused(await replay(t, "porthole-test/busybox"));
  }, 180_000);
});

describe("shell executor: git state a job plants in its project dir", () => {
  test("runs nothing at the next checkout, which still gets the right sources", async () => {
    const t = await startTestPorthole({ runner: { executor: "shell", concurrent: 1 } });
    stops.push(() => t.stop());
    const result = await replay(t, null);
    expectRefused(result);
    expect(existsSync(join(t.dataDir, "builds-git"))).toBe(true);
  }, 120_000);
});
