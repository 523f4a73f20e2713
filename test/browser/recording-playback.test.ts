// Playback in the browser: the job page lists its terminal sessions for a Reporter, and the player page plays the
// recording (asciicast v3, and an older v2 file as it is) until its text appears; below Reporter gets no recording.
import { expect, test } from "bun:test";
import { appendFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { browserAvailable, screenshot, useBrowserSuite, watchPageErrors } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, jobStatus, runJob, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("terminal recording playback");

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, {}, (suite) => ({ t, browser } = suite));

/** Presses the player's start button and waits for `text` to be drawn in its terminal. */
async function playUntil(page: Page, text: string): Promise<void> {
  await page.locator("#player .ap-overlay-start").click();
  await page.waitForFunction((want) => document.querySelector("#player")?.textContent?.includes(want), text, {
    timeout: 20_000,
  });
}

test.skipIf(!available)(
  "a Reporter plays the job's recorded session on its player page; an old v2 recording plays too",
  async () => {
    const project = await createProject(t, "playback");
    const job = await runJob(t, project);
    const c = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
    await c.control("hello");
    c.type("echo played-''back-text; touch go\n");
    await c.until(/played-back-text/);
    await c.close();
    await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");

    // A session recorded before recordings moved to v3.
    const root = t.porthole.store.repos.users.findByLogin("root")!;
    writeFileSync(
      join(t.dataDir, "recordings", `job-${job.jobId}-old.cast`),
      `${JSON.stringify({ version: 2, width: 80, height: 24, timestamp: 1 })}\n[0.1,"o","old-v2-text\\r\\n"]\n`,
    );
    t.porthole.store.repos.terminalSessions.open({
      jobId: job.jobId,
      projectId: project.id,
      userId: root.id,
      mode: "rw",
      subprotocol: "porthole.terminal.v1",
      recordingPath: `recordings/job-${job.jobId}-old.cast`,
    });

    const reporter = await userWithRole(t, "reporter", project.id, 20);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const { cookieValue } = createWebSession(t.porthole.store.db, reporter.id, {});
    await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${t.url}${job.jobPath}`);
    await screenshot(page, "job-terminal-sessions", true);
    const rows = page.locator(".terminal-sessions tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain("root (wrote)");
    expect(await rows.nth(0).innerText()).toContain("client closed");

    await rows.nth(0).getByRole("link", { name: "Play" }).click();
    await page.waitForURL(/\/terminal_sessions\/\d+$/);
    await playUntil(page, "played-back-text");
    await screenshot(page, "terminal-player");
    // The options re-create the player where it was.
    await page.locator("#player-speed").selectOption("4");
    await page.waitForFunction(() => document.querySelector("#player")?.textContent?.includes("played-back-text"));

    await page.goBack();
    await page.locator(".terminal-sessions tbody tr").nth(1).getByRole("link", { name: "Play" }).click();
    await page.waitForURL(/\/terminal_sessions\/\d+$/);
    await playUntil(page, "old-v2-text");
    expect(errors).toEqual([]);

    // Below Reporter: no list, no recording.
    const guest = await userWithRole(t, "guest", project.id, 10);
    const cast = `${t.url}${new URL(page.url()).pathname}/recording.cast`;
    const asGuest = await fetch(cast, {
      headers: { Cookie: `_porthole_session=${createWebSession(t.porthole.store.db, guest.id, {}).cookieValue}` },
    });
    expect(asGuest.status).toBe(403);
    // Its session is still open (the file is being written): half an event is not served.
    appendFileSync(join(t.dataDir, "recordings", `job-${job.jobId}-old.cast`), '[0.2,"o","half-writ');
    const asReporter = await fetch(cast, { headers: { Cookie: `_porthole_session=${cookieValue}` } });
    expect(asReporter.status).toBe(200);
    const served = await asReporter.text();
    expect(served).toContain("old-v2-text");
    expect(served).not.toContain("half-writ");
    expect(served.endsWith("\n")).toBe(true);

    // A recording the retention cleanup removed: listed as removed, its player page is gone.
    rmSync(join(t.dataDir, "recordings", `job-${job.jobId}-old.cast`));
    await page.goto(`${t.url}${job.jobPath}`);
    expect(await page.locator(".terminal-sessions tbody tr").nth(1).innerText()).toContain("removed (retention)");
    const gone = await fetch(cast.replace(/\/recording\.cast$/, ""), {
      headers: { Cookie: `_porthole_session=${cookieValue}` },
    });
    expect(gone.status).toBe(404);
  },
  90_000,
);
