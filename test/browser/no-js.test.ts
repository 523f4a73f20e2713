// Without JavaScript the lists and forms still work: sign in, create a project, run a pipeline, read and cancel a job.
import { expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { browserAvailable, makeUser, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("web UI without JavaScript");

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, {}, (suite) => ({ t, browser } = suite));

test.skipIf(!available)(
  "lists and forms work with JavaScript turned off",
  async () => {
    const page = await (
      await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } })
    ).newPage();
    await signIn(page, t.url, await makeUser(t, "nojs"));
    await page.goto(`${t.url}/projects/new`);
    await page.getByLabel("Project name").fill("Plain");
    await page
      .getByLabel("Pipeline configuration (YAML)")
      .fill("wait:\n  script:\n    - echo first line\n    - sleep 600\n");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(`${t.url}/nojs/plain`);
    await page.getByRole("link", { name: "Run pipeline" }).click();
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.waitForURL(/\/-\/pipelines\/\d+$/);
    const jobUrl = await page.locator(".job-box a.job-link").getAttribute("href");
    for (let i = 0; i < 100; i++) {
      await page.goto(`${t.url}${jobUrl}`);
      if ((await page.locator(".log-lines .ln", { hasText: "first line" }).count()) > 0) break;
      await Bun.sleep(100);
    }
    expect(await page.locator(".log-lines").innerText()).toContain("first line");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator(".flash-notice", { hasText: "Job canceled" }).waitFor();
    await page.goto(`${t.url}/nojs/plain/-/pipelines?status=canceled`);
    await screenshot(page, "14-no-javascript-pipelines");
    expect(await page.locator("table.list tbody tr").count()).toBe(1);
  },
  90_000,
);
