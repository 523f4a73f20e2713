// The job page in Chromium while a terminal holds the job after its script: "Held by a terminal: ends in 29:5x"
// counting down live, who is attached; when the last terminal leaves, the log says so and the job finishes.
import { expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { browserAvailable, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, jobStatus, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("terminal hold on the job page");

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, { session_server: { session_timeout: 1800 } }, (suite) => ({ t, browser } = suite));

test.skipIf(!available)(
  "the job page shows the hold with a live countdown and who is attached; the log records the last leave",
  async () => {
    const job = await runJob(t, await createProject(t, "held"));
    const trace = async () => (await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/trace`)).text();
    const terminal = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
    await terminal.control("hello");
    terminal.type("touch go\n");
    await waitFor("the hold to start", async () => (await trace()).includes("Terminal is connected"));

    const root = t.porthole.store.repos.users.findByLogin("root")!;
    const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
    const context = await browser.newContext();
    await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
    const page = await context.newPage();
    await page.goto(`${t.url}${job.jobPath}`);
    const banner = page.locator(".terminal-hold");
    expect(await banner.innerText()).toMatch(/^Held by a terminal: ends in 29:[5]\d · attached: root \(writing\)$/);
    const countdown = banner.locator("[data-countdown-to]");
    const first = await countdown.innerText();
    await page.waitForFunction((shown) => document.querySelector("[data-countdown-to]")?.textContent !== shown, first, {
      timeout: 5_000,
    });

    await terminal.close();
    await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");
    expect(await trace()).toContain("The last terminal left; the job continues.");
    await page.reload();
    expect(await page.locator(".terminal-hold").count()).toBe(0);
  },
  60_000,
);
