// Attack: a job plants links in its debug control folder, hoping the runner's Continue and cleanup follow them to
// files of the host. The runner only unlinks: the targets survive.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { trace } from "../support/debug-scenarios.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, jobStatus, json } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(60_000);

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole()));
afterAll(() => t?.stop());

test("links named paused and state.sh to host files: Continue and cleanup remove the links, not the files", async () => {
  const victims = [join(t.dataDir, "victim-paused"), join(t.dataDir, "victim-state")];
  for (const v of victims) writeFileSync(v, "host data\n");
  const yaml = `planter:
  script:
    - ln -s ${victims[0]} "$CI_PROJECT_DIR.debug/paused" && ln -s ${victims[1]} "$CI_PROJECT_DIR.debug/state.sh"
    - echo planted; sleep 2; test -L "$CI_PROJECT_DIR.debug/paused" || echo the-runner-unlinked-it
    - echo after-the-breakpoint
`;
  const project = await createProject(t, `planter-${crypto.randomUUID().slice(0, 8)}`, yaml);
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
  );
  const [first] = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  await waitFor("the first try to end", async () => jobStatus(t, first!.id) === "success", 30_000);
  // The retry's runner serves a breakpoint, so it watches the folder the job planted its links in.
  const retry = await json<{ id: number }>(
    t.api(`/projects/${project.id}/jobs/${first!.id}/retry`, {
      method: "POST",
      json: { debug_breakpoint: "script:3" },
    }),
  );
  await waitFor(
    "the planted link to be taken for a pause",
    async () => (await t.api(`/projects/${project.id}/jobs/${retry.id}/continue`, { method: "POST" })).status === 200,
  );
  await waitFor("the job to reach its real breakpoint", async () =>
    (await trace(t, project.id, retry.id)).includes("Paused before script line 3"),
  );
  expect(await trace(t, project.id, retry.id)).toContain("the-runner-unlinked-it");
  for (const v of victims) expect(readFileSync(v, "utf8")).toBe("host data\n");
  await waitFor(
    "Continue at the real breakpoint",
    async () => (await t.api(`/projects/${project.id}/jobs/${retry.id}/continue`, { method: "POST" })).status === 200,
  );
  await waitFor("the retry to succeed", async () => jobStatus(t, retry.id) === "success", 30_000);
  for (const v of victims) expect(existsSync(v) && readFileSync(v, "utf8")).toBe("host data\n");
});
