// Issue 16, item 1: a user refused before the upgrade (Reporter, Guest, finished job) is told why and the page does
// not reconnect; the page learns it from …/terminal/check, because a browser cannot read a refused socket's status.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { browserAvailable, launchBrowser } from "../support/browser.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";

setDefaultTimeout(60_000); // jobs start through the real runner; a loaded machine is slow

let t: TestPorthole;
let job: RunningJob;
let finished: RunningJob;
beforeAll(async () => {
  t = await startTestPorthole();
  job = await runJob(t, await createProject(t, "refusing"));
  finished = await runJob(t, await createProject(t, "finishing"));
  await t.api(`/projects/${finished.projectId}/jobs/${finished.jobId}/cancel`, { method: "POST" });
});
afterAll(async () => {
  if (job) await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  await t?.stop();
});

async function check(path: string, token?: string) {
  const res = await fetch(`${t.url}${path}/terminal/check`, { headers: token ? { "PRIVATE-TOKEN": token } : {} });
  return { status: res.status, body: (await res.json()) as { reason?: string; available?: boolean } };
}

describe("GET …/-/jobs/:id/terminal/check answers what the socket would", () => {
  test("per role and job state", async () => {
    const reporter = await userWithRole(t, "checking-reporter", job.projectId, 20);
    const maintainer = await userWithRole(t, "checking-maintainer", job.projectId, 40);
    const outsider = await userWithRole(t, "checking-outsider", job.projectId);
    expect(await check(job.jobPath, maintainer.token)).toEqual({ status: 200, body: { available: true } });
    expect((await check(job.jobPath, reporter.token)).body.reason).toBe("forbidden");
    expect((await check(job.jobPath, reporter.token)).status).toBe(403);
    expect(await check(job.jobPath)).toMatchObject({ status: 401, body: { reason: "unauthorized" } });
    expect(await check(job.jobPath, outsider.token)).toMatchObject({ status: 404, body: { reason: "not_found" } });
    expect(await check(`${job.jobPath.replace(/\d+$/, "")}99999`, t.rootToken)).toMatchObject({ status: 404 });
    expect(await check(finished.jobPath, t.rootToken)).toMatchObject({ status: 409, body: { reason: "not_running" } });
  });
});

const available = browserAvailable("terminal refused page");
let browser: Browser | undefined;
afterAll(async () => browser?.close());

test.skipIf(!available)(
  "a Reporter and a Guest are told they are not allowed, a finished job says so, and no socket retries",
  async () => {
    browser = await launchBrowser();
    const cases = [
      { level: 20, name: "page-reporter", path: () => job.jobPath, text: "You are not allowed to open this terminal" },
      { level: 10, name: "page-guest", path: () => job.jobPath, text: "You are not allowed to open this terminal" },
      { level: 40, name: "page-late", path: () => finished.jobPath, text: "the job is not running" },
    ];
    // The cases run side by side: one wait covers the reconnect delays of all three pages.
    const pages = await Promise.all(
      cases.map(async (c) => {
        const projectId = c.path() === job.jobPath ? job.projectId : finished.projectId;
        const user = await userWithRole(t, c.name, projectId, c.level);
        const { cookieValue } = createWebSession(t.porthole.store.db, user.id, {});
        const context = await browser!.newContext();
        await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
        const page = await context.newPage();
        const opened = { sockets: 0 };
        page.on("websocket", () => opened.sockets++);
        await page.goto(`${t.url}${c.path()}/terminal`);
        await page.waitForSelector('#state[data-state="refused"]', { timeout: 15_000 });
        expect(await page.locator("#reason").textContent()).toContain(c.text);
        return { page, context, opened };
      }),
    );
    await Bun.sleep(2_500); // longer than the first reconnect delays
    for (const { page, context, opened } of pages) {
      expect(await page.locator("#state").getAttribute("data-state")).toBe("refused");
      expect(await page.locator("#reason").textContent()).not.toContain("reconnecting");
      expect(opened.sockets).toBe(0);
      await context.close();
    }
  },
  90_000,
);
