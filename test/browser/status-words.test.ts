// The terminal page of a finished job in Chromium: it says why it cannot attach in people's words ("passed", not the
// API's "success"), with no stray space before the colon, no stale "writing / watching" count, no favicon 404.
import { expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { browserAvailable, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";
import { createProject, json, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("status words on the terminal page");

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, {}, (suite) => ({ t, browser } = suite));

test.skipIf(!available)("a finished job's terminal page says the job passed, in the page's words", async () => {
  const project = await createProject(t, "words", 'done:\n  script: echo "done"\n');
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
  );
  const [job] = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  await waitFor("the job to pass", async () => {
    const j = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job!.id}`));
    return j.status === "success" || undefined;
  });
  const root = t.porthole.store.repos.users.findByLogin("root")!;
  const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
  const context = await browser.newContext();
  await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
  const page = await context.newPage();
  const missing: string[] = [];
  // The terminal's preflight answers a finished job with a 409 on purpose: that is the page's answer, not a miss.
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && !path.endsWith("/terminal/check")) missing.push(`${r.status()} ${path}`);
  });
  await page.goto(`${t.url}/${project.path}/-/jobs/${job!.id}/terminal`);
  await page.waitForSelector('#state[data-state="refused"]', { timeout: 15_000 });
  const bar = await page.locator("#status").innerText();
  expect(bar).toContain("not available: the job is not running (status: passed)");
  expect(bar).not.toContain("success");
  expect(bar).not.toMatch(/ :/);
  expect(await page.locator("#presence").textContent()).toBe("");
  // Nothing the page loads fails, and the tab icon a browser asks for (headless Chromium does not) is there.
  await page.waitForLoadState("networkidle");
  expect(missing).toEqual([]);
  const icon = await page.request.get(`${t.url}/favicon.ico`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toBe("image/svg+xml");
});

test.skipIf(!available)(
  "after a close the status bar says why in words and no longer counts writers",
  async () => {
    const job = await runJob(t, await createProject(t, "closing"));
    const root = t.porthole.store.repos.users.findByLogin("root")!;
    const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
    const context = await browser.newContext();
    await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
    const page = await context.newPage();
    await page.goto(`${t.url}${job.jobPath}/terminal`);
    await page.waitForSelector('#state[data-state="rw"]', { timeout: 15_000 });
    expect(await page.locator("#presence").textContent()).toBe("writing: root (you) · watching: nobody");
    await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
    await page.waitForSelector('#state[data-state="closed"], #state[data-state="refused"]', { timeout: 15_000 });
    const bar = await page.locator("#status").innerText();
    expect(bar).toMatch(/closed: the job was canceled|not available: the job is not running \(status: canceled\)/);
    expect(bar).not.toContain("writing");
    expect(bar).not.toMatch(/ :/);
  },
  60_000,
);
