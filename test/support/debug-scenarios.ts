// The debugging scenarios of issue 16, run against a real porthole on the shell and on the Docker executor.
import { expect } from "bun:test";
import { eq } from "drizzle-orm";
import { createWebSession, SESSION_COOKIE } from "../../src/auth/web-sessions.ts";
import { users } from "../../src/store/schema.ts";
import type { TestPorthole } from "./porthole.ts";
import { TerminalClient, terminalWsUrl } from "./terminal-client.ts";
import { createProject, jobStatus, json, userWithRole } from "./terminal-jobs.ts";
import { waitFor } from "./wait.ts";

const REPORTER = 20;
const DEVELOPER = 30;

/** `image:` line for Docker (empty on the shell executor). */
export type ImageLine = string;

export const trace = async (t: TestPorthole, projectId: number, jobId: number) =>
  (await t.api(`/projects/${projectId}/jobs/${jobId}/trace`)).text();

const jobRow = (t: TestPorthole, jobId: number) => t.porthole.store.repos.jobs.findById(jobId)!;

async function firstJob(t: TestPorthole, projectId: number): Promise<number> {
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } }),
  );
  const [job] = await json<{ id: number }[]>(t.api(`/projects/${projectId}/pipelines/${pipeline.id}/jobs`));
  return job!.id;
}

async function logSays(t: TestPorthole, projectId: number, jobId: number, text: string, ms = 30_000) {
  await waitFor(
    `the log of job ${jobId} to say ${JSON.stringify(text)}`,
    async () => (await trace(t, projectId, jobId)).includes(text),
    ms,
  );
}

/** The job page as root sees it (a signed-in browser session). */
async function jobPage(t: TestPorthole, path: string, jobId: number): Promise<string> {
  const root = t.porthole.store.db.select().from(users).where(eq(users.username, "root")).get()!;
  const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
  const res = await fetch(`${t.url}/${path}/-/jobs/${jobId}`, {
    headers: { Cookie: `${SESSION_COOKIE}=${cookieValue}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

const FAILING = (image: ImageLine, wait: string) => `failing:
${image}  debug:
    on_failure: ${wait}
  script:
    - export FROM_SCRIPT=exported-in-script
    - mkdir -p deeper && cd deeper
    - echo evidence-of-the-failure > failed-here.txt
    - exit 3
  after_script:
    - echo after-script-ran
`;

/**
 * A failing job with debug on failure waits; a terminal opened after the failure sees the failed script's files,
 * variables and directory; when it leaves, the job ends `failed` (script_failure, exit code 3), after_script after.
 */
export async function failedScriptKeepsItsEnvironment(t: TestPorthole, image: ImageLine): Promise<void> {
  const project = await createProject(t, `fails-${crypto.randomUUID().slice(0, 8)}`, FAILING(image, "5m"));
  const jobId = await firstJob(t, project.id);
  await logSays(t, project.id, jobId, "waits 5m0s for a terminal");
  await Bun.sleep(300);
  expect(jobStatus(t, jobId)).toBe("running");
  expect(await trace(t, project.id, jobId)).not.toContain("after-script-ran");
  const page = await jobPage(t, project.path, jobId);
  expect(page).toContain("Debug the failure");
  expect(page).toContain(`action="/${project.path}/-/jobs/${jobId}/continue"`);

  const c = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${jobId}`), { token: t.rootToken });
  await c.control("hello");
  c.type('echo "var=$FROM_SCRIPT dir=$(pwd)"; cat failed-here.txt\n');
  const [, dir] = (await c.until(/var=exported-in-script dir=(\S+)/))!;
  expect(dir).toEndWith("/deeper");
  await c.until(/evidence-of-the-failure/);
  await logSays(t, project.id, jobId, "Terminal is connected");
  expect(jobStatus(t, jobId)).toBe("running");
  await c.close();

  await waitFor("the job to fail", async () => jobStatus(t, jobId) === "failed");
  const row = jobRow(t, jobId);
  expect(row.failureReason).toBe("script_failure");
  expect(row.exitCode).toBe(3);
  const log = await trace(t, project.id, jobId);
  expect(log.indexOf("after-script-ran")).toBeGreaterThan(log.indexOf("The last terminal left"));
  expect(log).toContain("Job failed: exit code 3");
}

/** Nobody attaches: the job ends `failed` once the wait passes (and no sooner). */
export async function unattendedWaitEnds(t: TestPorthole, image: ImageLine): Promise<void> {
  const project = await createProject(t, `alone-${crypto.randomUUID().slice(0, 8)}`, FAILING(image, "3s"));
  const jobId = await firstJob(t, project.id);
  await logSays(t, project.id, jobId, "waits 3s for a terminal");
  const waitingSince = Date.now();
  await waitFor("the job to fail", async () => jobStatus(t, jobId) === "failed", 30_000);
  expect(Date.now() - waitingSince).toBeGreaterThan(2_000);
  expect(jobRow(t, jobId).failureReason).toBe("script_failure");
  const log = await trace(t, project.id, jobId);
  expect(log).toContain("Nobody attached a terminal; the job ends.");
  expect(log).toContain("after-script-ran");
}

const NEEDS_A_FIX = (image: ImageLine) => `fixable:
${image}  before_script:
    - export FROM_BEFORE=set-by-before-script
    - mkdir -p work && cd work
  script:
    - test -f fixed-by-hand
    - echo the-script-went-on
`;

/**
 * A failed job retried with a breakpoint before `script` pauses there; its terminal has before_script's state;
 * a Reporter can neither retry with a terminal nor Continue; Continue resumes the script, which sees what the
 * terminal did.
 */
export async function retryPausesAtBreakpoint(t: TestPorthole, image: ImageLine): Promise<void> {
  const project = await createProject(t, `retry-${crypto.randomUUID().slice(0, 8)}`, NEEDS_A_FIX(image));
  const failed = await firstJob(t, project.id);
  await waitFor("the first try to fail", async () => jobStatus(t, failed) === "failed", 30_000);
  expect(await jobPage(t, project.path, failed)).toContain("Retry with terminal");
  const reporter = await userWithRole(t, `rep-${crypto.randomUUID().slice(0, 8)}`, project.id, REPORTER);
  const refused = await t.api(`/projects/${project.id}/jobs/${failed}/retry`, {
    method: "POST",
    json: { debug_breakpoint: "before_script_end" },
    token: reporter.token,
  });
  expect(refused.status).toBe(403);
  const bad = await t.api(`/projects/${project.id}/jobs/${failed}/retry`, {
    method: "POST",
    json: { debug_breakpoint: "script:zero" },
  });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain("debug_breakpoint");

  const retry = await json<{ id: number }>(
    t.api(`/projects/${project.id}/jobs/${failed}/retry`, { method: "POST", json: { debug_breakpoint: "script:1" } }),
  );
  await logSays(t, project.id, retry.id, "Paused before script line 1");
  const c = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${retry.id}`), { token: t.rootToken });
  await c.control("hello");
  c.type('echo "before=$FROM_BEFORE dir=$(pwd)"; touch fixed-by-hand\n');
  const [, dir] = (await c.until(/before=set-by-before-script dir=(\S+)/))!;
  expect(dir).toEndWith("/work");
  await waitFor(
    "the page to offer the breakpoint's terminal",
    async () => (await jobPage(t, project.path, retry.id)).includes("Debug the breakpoint"),
    5_000,
  );

  const continueUrl = `/projects/${project.id}/jobs/${retry.id}/continue`;
  expect((await t.api(continueUrl, { method: "POST", token: reporter.token })).status).toBe(403);
  await Bun.sleep(500);
  expect(await trace(t, project.id, retry.id)).not.toContain("the-script-went-on");
  expect(jobStatus(t, retry.id)).toBe("running");
  expect((await t.api(continueUrl, { method: "POST" })).status).toBe(200);
  await logSays(t, project.id, retry.id, "the-script-went-on");
  await c.close();
  await waitFor("the retry to succeed", async () => jobStatus(t, retry.id) === "success", 30_000);
  expect((await t.api(continueUrl, { method: "POST" })).status).toBe(409); // nothing waits any more
}

/**
 * Continue ends a failed script's wait at once, also with a terminal attached (which is closed); a Developer who did
 * not start the job may not.
 */
export async function continueEndsTheWait(t: TestPorthole, image: ImageLine): Promise<void> {
  const project = await createProject(t, `cont-${crypto.randomUUID().slice(0, 8)}`, FAILING(image, "10m"));
  const jobId = await firstJob(t, project.id);
  await logSays(t, project.id, jobId, "waits 10m0s for a terminal");
  const developer = await userWithRole(t, `dev-${crypto.randomUUID().slice(0, 8)}`, project.id, DEVELOPER);
  const continueUrl = `/projects/${project.id}/jobs/${jobId}/continue`;
  expect((await t.api(continueUrl, { method: "POST", token: developer.token })).status).toBe(403);
  const c = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${jobId}`), { token: t.rootToken });
  await c.control("hello");
  await logSays(t, project.id, jobId, "Terminal is connected");
  expect((await t.api(continueUrl, { method: "POST" })).status).toBe(200);
  expect(await c.control("closing", 10_000)).toEqual({ type: "closing", reason: "job_finished" });
  await waitFor("the job to fail", async () => jobStatus(t, jobId) === "failed", 15_000);
  expect(jobRow(t, jobId).exitCode).toBe(3);
  expect(await trace(t, project.id, jobId)).toContain("Continue: the job ends.");
}

/** A retry with the `on_failure` breakpoint holds its failure with no time limit; Continue ends it as it failed. */
export async function failureBreakpointWaitsForContinue(t: TestPorthole, image: ImageLine): Promise<void> {
  const yaml = `plainfail:\n${image}  script:\n    - export LEFT_BEHIND=by-the-script\n    - exit 4\n`;
  const project = await createProject(t, `bpfail-${crypto.randomUUID().slice(0, 8)}`, yaml);
  const failed = await firstJob(t, project.id);
  await waitFor("the first try to fail", async () => jobStatus(t, failed) === "failed", 30_000);
  expect(await trace(t, project.id, failed)).not.toContain("waits");
  const retry = await json<{ id: number }>(
    t.api(`/projects/${project.id}/jobs/${failed}/retry`, { method: "POST", json: { debug_breakpoint: "on_failure" } }),
  );
  await logSays(t, project.id, retry.id, "waits for a terminal until Continue");
  const c = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${retry.id}`), { token: t.rootToken });
  await c.control("hello");
  c.type('echo "left=$LEFT_BEHIND"\n');
  await c.until(/left=by-the-script/);
  await c.close();
  await Bun.sleep(1000); // the terminal left: a breakpoint still waits for Continue
  expect(jobStatus(t, retry.id)).toBe("running");
  expect((await t.api(`/projects/${project.id}/jobs/${retry.id}/continue`, { method: "POST" })).status).toBe(200);
  await waitFor("the retry to fail", async () => jobStatus(t, retry.id) === "failed", 15_000);
  expect(jobRow(t, retry.id).exitCode).toBe(4);
}
