// Two browsers of different sizes on one terminal: the watcher draws at the writer's size (its screen equals the
// writer's line for line, read from xterm's buffer), is told its window is smaller, and can take control.
import { expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { createShareLink } from "../../src/session/share-links.ts";
import { auditEvents } from "../../src/store/schema.ts";
import { browserAvailable, screenshot, useBrowserSuite, watchPageErrors } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";
import { createProject, runJob, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("shared terminal session");

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, {}, (suite) => ({ t, browser } = suite));

interface Screen {
  cols: number;
  rows: number;
  lines: string[];
}

/** The screen as the page's xterm holds it: its size and each row's text (not pixels, not the DOM). */
const screenOf = (page: Page): Promise<Screen> =>
  page.evaluate(() => {
    const term = (globalThis as unknown as { portholeTerminal: import("@xterm/xterm").Terminal }).portholeTerminal;
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < term.rows; i++) lines.push(buffer.getLine(buffer.baseY + i)?.translateToString(true) ?? "");
    return { cols: term.cols, rows: term.rows, lines };
  });

/** Waits until both pages show `marker` and the same screen, then returns both screens. */
async function settledScreens(a: Page, b: Page, marker: string): Promise<[Screen, Screen]> {
  let screens: [Screen, Screen] = [await screenOf(a), await screenOf(b)];
  await waitFor(`both screens to show ${marker} alike`, async () => {
    screens = [await screenOf(a), await screenOf(b)];
    const [x, y] = screens;
    return x.lines.join("\n").includes(marker) && JSON.stringify(x) === JSON.stringify(y);
  }).catch(() => undefined); // the assertions below say what differs
  return screens;
}

async function terminalPage(url: string, viewport: { width: number; height: number }, cookie: string) {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name: "_porthole_session", value: cookie, url: t.url }]);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(url);
  return { page, errors };
}

test.skipIf(!available)(
  "a small watcher's screen equals a large writer's line for line, follows its resize, and takes control",
  async () => {
    const job = await runJob(t, await createProject(t, "shared"));
    const root = t.porthole.store.repos.users.findByLogin("root")!;
    const cookie = () => createWebSession(t.porthole.store.db, root.id, {}).cookieValue;
    const url = `${t.url}${job.jobPath}/terminal`;
    try {
      const writer = await terminalPage(`${url}?mode=rw`, { width: 1200, height: 700 }, cookie());
      await writer.page.waitForSelector('#state[data-state="rw"]', { timeout: 30_000 });
      await writer.page.locator(".xterm").click();
      // Lines longer than the watcher's window: a watcher at its own width would wrap them differently.
      await writer.page.keyboard.type("seq -s ' ' 1 60; echo first-''done\n");
      await writer.page.waitForFunction(() =>
        document.querySelector(".xterm-rows")?.textContent?.includes("first-done"),
      );

      const watcher = await terminalPage(`${url}?mode=ro`, { width: 640, height: 360 }, cookie());
      await watcher.page.waitForSelector('#state[data-state="ro"]', { timeout: 30_000 });
      await writer.page.keyboard.type("seq -s . 100 150; echo second-''done\n");
      let [w, v] = await settledScreens(writer.page, watcher.page, "second-done");
      expect(v.cols).toBe(w.cols);
      expect(v.rows).toBe(w.rows);
      expect(w.cols).toBeGreaterThan(120); // the writer's window, far wider than the watcher's
      expect(v.lines).toEqual(w.lines);
      expect(w.lines.join("\n")).toContain("first-done");
      expect(await watcher.page.locator("#size-notice").isVisible()).toBe(true);
      expect(await watcher.page.locator("#size-notice").innerText()).toContain(
        `smaller than the session (${w.cols}×${w.rows}`,
      );
      expect(await writer.page.locator("#size-notice").isVisible()).toBe(false);
      await screenshot(watcher.page, "terminal-shared-watcher");
      // The part beyond the watcher's window is reached by scrolling, not cut off or re-wrapped.
      const overflow = await watcher.page.evaluate(() => {
        const box = document.getElementById("terminal")!;
        box.scrollLeft = box.scrollWidth;
        return { wider: box.scrollWidth > box.clientWidth, scrolled: box.scrollLeft > 0 };
      });
      expect(overflow).toEqual({ wider: true, scrolled: true });
      expect(await watcher.page.locator("#presence").innerText()).toBe("writing: root · watching: root (you)");

      // The writer's window changes size: the watcher follows.
      await writer.page.setViewportSize({ width: 1000, height: 560 });
      await waitFor("the watcher to take the new size", async () => (await screenOf(watcher.page)).cols < w.cols);
      await writer.page.keyboard.type("clear; seq -s - 200 240; echo third-''done\n");
      [w, v] = await settledScreens(writer.page, watcher.page, "third-done");
      expect(v.cols).toBe(w.cols);
      expect(v.lines).toEqual(w.lines);

      // The watcher takes control: it now writes at its own size, and the old writer watches at that size.
      await watcher.page.getByRole("button", { name: "Take control" }).click();
      await watcher.page.waitForSelector('#state[data-state="rw"]');
      await writer.page.waitForSelector('#state[data-state="ro"]');
      expect(await writer.page.locator("#reason").innerText()).toBe(": root took control");
      await watcher.page.locator(".xterm").click();
      // The size line is printed before the marker: once the marker shows, the size is on the screen too.
      await watcher.page.keyboard.type("clear; stty size; echo fourth-''done\n");
      [v, w] = await settledScreens(watcher.page, writer.page, "fourth-done");
      expect(v.cols).toBeLessThan(90);
      expect(w.cols).toBe(v.cols);
      expect(w.lines).toEqual(v.lines);
      expect(v.lines.join("\n")).toContain(`${v.rows} ${v.cols}`);
      const taken = t.porthole.store.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.action, "terminal_control_taken"))
        .all();
      expect(taken.map((e) => [e.targetId, e.details])).toEqual([[String(job.jobId), { from: "root" }]]);

      // And hands it back from the page's form: the first writer writes again and is told by whom.
      const handOver = watcher.page.locator("#hand-over");
      expect(await handOver.locator("option").allInnerTexts()).toEqual(["root"]);
      await handOver.getByRole("button", { name: "Hand over" }).click();
      await writer.page.waitForSelector('#state[data-state="rw"]');
      expect(await writer.page.locator("#reason").innerText()).toBe(": root handed you control");
      await watcher.page.waitForSelector('#state[data-state="ro"]');
      expect(await watcher.page.locator("#reason").innerText()).toBe(": you handed control over");
      expect([...writer.errors, ...watcher.errors]).toEqual([]);
    } finally {
      await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
    }
  },
  90_000,
);

test.skipIf(!available)(
  "a Reporter opens a read-only link: the page watches (no controls) at the writer's size; an expired link says so",
  async () => {
    const project = await createProject(t, "shared-link-page");
    const job = await runJob(t, project);
    const root = t.porthole.store.repos.users.findByLogin("root")!;
    const reporter = await userWithRole(t, "rhea", project.id, 20);
    const link = (seconds: number, madeAt = new Date()) =>
      createShareLink(
        t.porthole.store.db,
        { jobId: job.jobId, projectId: project.id, createdBy: root.id, seconds },
        madeAt,
      ).token;
    const url = `${t.url}${job.jobPath}/terminal`;
    try {
      const writer = await terminalPage(
        `${url}?mode=rw`,
        { width: 1100, height: 600 },
        createWebSession(t.porthole.store.db, root.id, {}).cookieValue,
      );
      await writer.page.waitForSelector('#state[data-state="rw"]', { timeout: 30_000 });
      const cookie = createWebSession(t.porthole.store.db, reporter.id, {}).cookieValue;
      const watcher = await terminalPage(`${url}?share=${link(3600)}`, { width: 700, height: 420 }, cookie);
      await watcher.page.waitForSelector('#state[data-state="ro"]', { timeout: 30_000 });
      expect(await watcher.page.locator("#state").innerText()).toBe("watching (read-only link)");
      await writer.page.locator(".xterm").click();
      await writer.page.keyboard.type("seq -s ' ' 1 50; echo link-''done\n");
      const [w, v] = await settledScreens(writer.page, watcher.page, "link-done");
      expect(v.lines).toEqual(w.lines);
      expect(await watcher.page.locator("#take-control").isVisible()).toBe(false);
      expect(await watcher.page.locator("#presence").innerText()).toBe("writing: root · watching: rhea (you)");
      expect(await writer.page.locator("#hand-over").isVisible()).toBe(false); // a link's watcher is never handed control
      // The Maintainer's job page lists the working link with its URL and a Revoke button.
      const jobPage = await writer.page.context().newPage();
      await jobPage.goto(`${t.url}${job.jobPath}`);
      expect(await jobPage.locator(".terminal-share-links .share-link").count()).toBe(1);
      await screenshot(jobPage, "job-share-links");

      const expired = await terminalPage(
        `${url}?share=${link(60, new Date(Date.now() - 120_000))}`,
        { width: 700, height: 420 },
        cookie,
      );
      await expired.page.waitForSelector('#state[data-state="refused"]', { timeout: 15_000 });
      expect(await expired.page.locator("#reason").innerText()).toBe(": this share link has expired");
      expect([...writer.errors, ...watcher.errors, ...expired.errors]).toEqual([]);
    } finally {
      await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
    }
  },
  90_000,
);
