// The project's Jobs page in Chromium: reached from the project tabs, newest first, filtered by status, paged.
import { expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { browserAvailable, screenshot, useBrowserSuite, watchPageErrors } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";
import { createProject, json } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("project jobs page");

/** 22 manual jobs (they wait), one that passes and one that fails: 24 jobs, more than one page of 20. */
const CI_YAML = [
  ...Array.from({ length: 22 }, (_, i) => `deploy-${i + 1}:\n  when: manual\n  script: echo deploy\n`),
  "fine:\n  script: echo fine\n",
  "broken:\n  script: exit 3\n",
].join("\n");

let t: TestPorthole;
let browser: Browser;
let page: Page;
useBrowserSuite(available, { runner: { concurrent: 2 } }, (suite) => ({ t, browser } = suite));

test.skipIf(!available)(
  "the Jobs tab lists the project's jobs, filters them by status and pages them",
  async () => {
    const project = await createProject(t, "jobs-list", CI_YAML);
    const pipeline = await json<{ id: number }>(
      t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
    );
    await waitFor("both running jobs to finish", async () => {
      const jobs = await json<{ name: string; status: string }[]>(
        t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs?per_page=100`),
      );
      const done = jobs.filter((j) => ["success", "failed"].includes(j.status)).length;
      return done === 2 || undefined;
    });

    const root = t.porthole.store.repos.users.findByLogin("root")!;
    const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
    page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${t.url}/${project.path}`);
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.waitForURL(`${t.url}/${project.path}/-/jobs`);
    const rows = page.locator("table.list tbody tr");
    expect(await rows.count()).toBe(20);
    // Newest first: the last job of the YAML heads the list.
    expect(await rows.first().innerText()).toContain("broken");
    expect(await rows.first().locator(".ci-badge").getAttribute("data-status")).toBe("failed");
    expect(await rows.first().innerText()).toContain(`#${pipeline.id}`);
    await screenshot(page, "jobs-page");

    await page.getByRole("link", { name: "Next ›" }).click();
    await page.waitForURL(/page=2/);
    expect(await rows.count()).toBe(4);
    expect(await rows.last().innerText()).toContain("deploy-1");

    await page.goto(`${t.url}/${project.path}/-/jobs`);
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=failed/);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain("broken");
    await page.getByLabel("Status").selectOption("success");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=success/);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain("fine");
    expect(await rows.first().locator(".ci-badge").innerText()).toBe("passed");
    await page.getByLabel("Status").selectOption("running");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=running/);
    expect(await page.getByRole("heading", { name: "No running jobs" }).count()).toBe(1);
    expect(errors).toEqual([]);
  },
  90_000,
);
