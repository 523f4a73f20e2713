// Issue 10, item 5 in a real browser: signing out in one tab closes the terminal open in another, which says why.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";

setDefaultTimeout(60_000); // jobs start through the real runner; a loaded machine is slow

const CHROMIUM = process.env.PORTHOLE_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.PORTHOLE_REQUIRE_BROWSER)
  throw new Error(`PORTHOLE_REQUIRE_BROWSER is set but ${CHROMIUM} is missing`);
if (!available) console.log(`skipped: browser terminal revocation test (no Chromium at ${CHROMIUM})`);

let t: TestPorthole;
let job: RunningJob;
beforeAll(async () => {
  if (!available) return;
  t = await startTestPorthole();
  job = await runJob(t, await createProject(t, "signing-out"));
});
afterAll(async () => {
  if (job) await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  await t?.stop();
});

test.skipIf(!available)(
  "the terminal page shows 'access revoked' and does not reconnect",
  async () => {
    const { chromium } = await import("playwright-core");
    const user = await userWithRole(t, "tabber", job.projectId, 40);
    const { cookieValue } = createWebSession(t.porthole.store.db, user.id, {});
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
      const terminal = await context.newPage();
      let sockets = 0;
      terminal.on("websocket", () => sockets++);
      await terminal.goto(`${t.url}${job.jobPath}/terminal`);
      await terminal.waitForSelector('#state[data-state="rw"]', { timeout: 45_000 });

      const other = await context.newPage();
      await other.goto(`${t.url}${job.jobPath}`);
      await other.getByRole("button", { name: "Sign out" }).click();
      await other.waitForURL(`${t.url}/users/sign_in`);

      await terminal.waitForSelector('#state[data-state="refused"]', { timeout: 15_000 });
      expect(await terminal.locator("#state").textContent()).toBe("access revoked");
      expect(await terminal.locator("#reason").textContent()).toContain("your access ended");
      await Bun.sleep(3_000);
      expect(await terminal.locator("#state").getAttribute("data-state")).toBe("refused");
      expect(sockets).toBe(1);
    } finally {
      await browser.close();
    }
  },
  90_000,
);
