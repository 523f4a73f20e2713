// The pipeline editor in Chromium: lint as you type flags an error by line and column, the fixed file is valid
// with its merged YAML, Save makes it the project's configuration, and Run pipeline runs it with a variable.
import { expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { browserAvailable, screenshot, useBrowserSuite, watchPageErrors } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";
import { createProject, json } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("pipeline editor");

const VALID = 'greet:\n  stage: test\n  script: echo "greeting is $GREETING"\n';
const BROKEN = 'greet:\n  stage: test\n  script: echo "greeting is $GREETING"\n  when: sometimes\n';

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, {}, (suite) => ({ t, browser } = suite));

test.skipIf(!available)(
  "the editor marks an error's line and column while typing; the fixed file is saved and run with a variable",
  async () => {
    const project = await createProject(t, "editor-demo", VALID);
    const root = t.porthole.store.repos.users.findByLogin("root")!;
    const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${t.url}/${project.path}`);
    await page.getByRole("link", { name: "Pipeline editor" }).click();
    await page.waitForURL(`${t.url}/${project.path}/-/ci/editor`);
    const editor = page.getByLabel("CI/CD configuration (YAML)");
    const status = page.locator("#ci-editor-status");
    await waitFor("the saved file to be checked", async () =>
      (await status.innerText()).includes("This CI configuration is valid") ? true : undefined,
    );

    await editor.fill(BROKEN);
    await waitFor("the error to show", async () =>
      (await status.innerText()).includes("when should be") ? true : undefined,
    );
    expect(await status.innerText()).toContain("Line 4, column 9");
    expect(await status.innerText()).toContain("jobs:greet when should be one of");
    expect(await page.locator(".editor-gutter .gutter-error").allInnerTexts()).toEqual(["4\n"]);
    await page.getByRole("button", { name: "Line 4, column 9" }).click();
    const caret = await editor.evaluate((el: HTMLTextAreaElement) => el.value.slice(0, el.selectionStart).split("\n"));
    expect(caret.length).toBe(4);
    expect(caret.at(-1)!.length).toBe(8);
    await screenshot(page, "ci-editor-error");

    await editor.fill(`${VALID}\nafter:\n  stage: deploy\n  script: echo done\n  needs: [greet]\n`);
    await waitFor("the fixed file to be valid", async () =>
      (await status.innerText()).includes("This CI configuration is valid") ? true : undefined,
    );
    expect(await page.locator(".editor-gutter .gutter-error").count()).toBe(0);
    await page.getByText("Full configuration (merged YAML)").click();
    expect(await page.locator("[data-editor-merged]").innerText()).toContain("after:");
    await page.getByRole("button", { name: "Save configuration" }).click();
    await page.waitForURL(`${t.url}/${project.path}/-/ci/editor`);
    expect(await page.locator(".flash").innerText()).toContain("Pipeline configuration saved.");
    expect(await editor.inputValue()).toContain("needs: [greet]");

    await page.getByLabel("Variable 1 key").fill("GREETING");
    await page.getByLabel("Variable 1 value").fill("hello from the editor");
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.waitForURL(new RegExp(`/${project.path}/-/pipelines/\\d+$`));
    const pipelineId = Number(page.url().split("/").at(-1));
    const jobsOf = () =>
      json<{ id: number; name: string; status: string }[]>(
        t.api(`/projects/${project.id}/pipelines/${pipelineId}/jobs`),
      );
    // The saved configuration ran: both jobs, the second after the first.
    await waitFor(
      "both jobs to pass",
      async () => (await jobsOf()).filter((j) => j.status === "success").length === 2 || undefined,
    );
    const greet = (await jobsOf()).find((j) => j.name === "greet")!;
    const trace = await (await t.api(`/projects/${project.id}/jobs/${greet.id}/trace`)).text();
    expect(trace).toContain("greeting is hello from the editor");

    // The pipeline's user links to their profile (the API's web_url), which lists the project.
    await page.goto(`${t.url}/${project.path}/-/pipelines/${pipelineId}`);
    await page.locator(".meta").getByRole("link", { name: "root", exact: true }).click();
    await page.waitForURL(`${t.url}/root`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(root.name);
    expect(await page.getByRole("link", { name: "editor-demo" }).count()).toBe(1);
    await screenshot(page, "user-profile");
    expect(errors).toEqual([]);
  },
  90_000,
);
