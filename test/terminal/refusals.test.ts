// Every terminal request that must be refused is refused before the WebSocket upgrade, with the right status.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { upgradeStatus } from "../support/terminal-client.ts";
import { createProject, jobStatus, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(30_000); // jobs start through the real runner; a loaded machine is slow

let t: TestPorthole;
let job: RunningJob;
let finished: RunningJob;
const users: Record<string, { id: number; token: string }> = {};

beforeAll(async () => {
  t = await startTestPorthole();
  const project = await createProject(t, "guarded");
  for (const [name, level] of [
    ["guest", 10],
    ["reporter", 20],
    ["developer", 30],
    ["maintainer", 40],
  ] as const) {
    users[name] = await userWithRole(t, name, project.id, level);
  }
  users.outsider = await userWithRole(t, "outsider", project.id);
  job = await runJob(t, project);
  finished = await runJob(t, await createProject(t, "done-already", "quick:\n  script: [sleep 1000]\n"));
  await t.api(`/projects/${finished.projectId}/jobs/${finished.jobId}/cancel`, { method: "POST" });
  await waitFor("the job to be canceled", async () => jobStatus(t, finished.jobId) === "canceled");
});
afterAll(async () => {
  await t?.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  await t?.stop();
});

const ws = (j: RunningJob) => `${j.jobPath}/terminal.ws`;
const as = (name: string) => ({ "PRIVATE-TOKEN": users[name]!.token });

describe("refusals before the upgrade", () => {
  test("401 without credentials or with a bad token", async () => {
    expect(await upgradeStatus(t.url, ws(job))).toBe(401);
    expect(await upgradeStatus(t.url, ws(job), { "PRIVATE-TOKEN": "glpat-not-a-real-token" })).toBe(401);
    expect(await upgradeStatus(t.url, ws(job), { Authorization: "Bearer glpat-not-a-real-token" })).toBe(401);
  });

  test("404 for an unknown job, an unknown project, or a project the user cannot see", async () => {
    expect(
      await upgradeStatus(t.url, `/${job.projectPath}/-/jobs/999999/terminal.ws`, { "PRIVATE-TOKEN": t.rootToken }),
    ).toBe(404);
    expect(
      await upgradeStatus(t.url, `/nobody/nothing/-/jobs/${job.jobId}/terminal.ws`, { "PRIVATE-TOKEN": t.rootToken }),
    ).toBe(404);
    expect(await upgradeStatus(t.url, ws(job), as("outsider"))).toBe(404);
    // The job exists, but in another project than the path names.
    expect(
      await upgradeStatus(t.url, `/${finished.projectPath}/-/jobs/${job.jobId}/terminal.ws`, {
        "PRIVATE-TOKEN": t.rootToken,
      }),
    ).toBe(404);
  });

  test("403 for Guests, Reporters, and Developers on someone else's job", async () => {
    expect(await upgradeStatus(t.url, ws(job), as("guest"))).toBe(403);
    expect(await upgradeStatus(t.url, ws(job), as("reporter"))).toBe(403);
    expect(await upgradeStatus(t.url, ws(job), as("developer"))).toBe(403);
  });

  test("Maintainers may open any job's terminal; Developers the jobs they started", async () => {
    expect(await upgradeStatus(t.url, ws(job), as("maintainer"))).toBe(101);
    // On an unprotected branch: Developers may not run pipelines on the protected `main`.
    const own = await runJob(t, { id: job.projectId, path: job.projectPath }, users.developer!.token, "feature");
    expect(await upgradeStatus(t.url, ws(own), as("developer"))).toBe(101);
    await t.api(`/projects/${own.projectId}/jobs/${own.jobId}/cancel`, { method: "POST" });
  });

  test("403 for a cookie sign-in from another origin; the same origin is let in", async () => {
    const { cookieValue } = createWebSession(t.porthole.store.db, users.maintainer!.id, {});
    const cookie = `_porthole_session=${cookieValue}`;
    expect(await upgradeStatus(t.url, ws(job), { Cookie: cookie, Origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus(t.url, ws(job), { Cookie: cookie })).toBe(403);
    expect(await upgradeStatus(t.url, ws(job), { Cookie: cookie, Origin: new URL(t.url).origin })).toBe(101);
  });

  test("409 for a job that is not running", async () => {
    expect(await upgradeStatus(t.url, ws(finished), { "PRIVATE-TOKEN": t.rootToken })).toBe(409);
  });

  test("400 without a supported subprotocol", async () => {
    expect(await upgradeStatus(t.url, ws(job), { "PRIVATE-TOKEN": t.rootToken, "Sec-WebSocket-Protocol": "tty" })).toBe(
      400,
    );
  });

  test("the audit list is for Maintainers only", async () => {
    const list = (name: string) => t.api(`/projects/${job.projectId}/terminal_sessions`, { token: users[name]!.token });
    expect((await list("developer")).status).toBe(403);
    expect((await list("maintainer")).status).toBe(200);
    expect((await list("outsider")).status).toBe(404);
  });
});
