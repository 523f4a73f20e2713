// The terminal page in a real browser (headless Chromium): sign-in cookie, typing, output, window resize.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { users } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, runJob } from "../support/terminal-jobs.ts";

setDefaultTimeout(30_000); // jobs start through the real runner; a loaded machine is slow

const CHROMIUM = process.env.PORTHOLE_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.PORTHOLE_REQUIRE_BROWSER)
  throw new Error(`PORTHOLE_REQUIRE_BROWSER is set but ${CHROMIUM} is missing`);
if (!available) console.log(`skipped: browser terminal test (no Chromium at ${CHROMIUM})`);

let t: TestPorthole;
beforeAll(async () => {
  if (available) t = await startTestPorthole();
});
afterAll(() => t?.stop());

test.skipIf(!available)(
  "Debug on the job page opens the terminal; it connects, types, shows output, and follows the window size",
  async () => {
    const { chromium } = await import("playwright-core");
    const job = await runJob(t, await createProject(t, "in-browser"));
    const root = t.porthole.store.db.select().from(users).where(eq(users.username, "root")).get()!;
    const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 900, height: 500 } });
      await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
      const jobPage = await context.newPage();
      await jobPage.goto(`${t.url}${job.jobPath}`);
      const [page] = await Promise.all([
        context.waitForEvent("page"),
        jobPage.getByRole("link", { name: "Debug" }).click(),
      ]);
      const violations: string[] = [];
      page.on("console", (m) => m.text().includes("Content Security Policy") && violations.push(m.text()));
      await page.waitForURL(`${t.url}${job.jobPath}/terminal`);
      await page.waitForSelector('#state[data-state="rw"]', { timeout: 15_000 });
      const screen = () => page.locator(".xterm-rows").innerText();
      await page.locator(".xterm").click();
      await page.keyboard.type("echo hello-''browser; stty size\n");
      await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("hello-browser"));
      // `stty size` answers after the echo, possibly in an output chunk of its own: wait for its line too.
      await page.waitForFunction(() =>
        /^\d+ \d+$/m.test((document.querySelector(".xterm-rows") as HTMLElement | null)?.innerText ?? ""),
      );
      const sizeBefore = (await screen()).match(/^(\d+) (\d+)$/m);
      expect(sizeBefore).not.toBeNull();
      const rowsBefore = await page.locator(".xterm-rows > div").count();
      await page.setViewportSize({ width: 1300, height: 800 });
      await page.waitForFunction((n) => document.querySelectorAll(".xterm-rows > div").length > n, rowsBefore);
      await page.keyboard.type("clear; stty size\n");
      await page.waitForFunction(
        (before) => {
          const m = document.querySelector(".xterm-rows")?.textContent?.match(/(\d+) (\d+)/);
          return m !== null && m !== undefined && m[0] !== before;
        },
        sizeBefore![0],
        { timeout: 10_000 },
      );
      const [, rows, cols] = (await screen()).match(/^(\d+) (\d+)$/m)!;
      expect(Number(cols)).toBeGreaterThan(Number(sizeBefore![2]));
      expect(Number(rows)).toBeGreaterThan(Number(sizeBefore![1]));
      expect(violations.join("\n")).toBe("");
      if (process.env.PORTHOLE_SCREENSHOT) await page.screenshot({ path: process.env.PORTHOLE_SCREENSHOT });
    } finally {
      await browser.close();
      await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
    }
  },
  60_000,
);
