// The web UI end to end in Chromium: sign in, create a project with inline YAML, run a pipeline, watch the log
// stream in, open a collapsed section, cancel and retry a job, play a manual job. Screenshots of every page.
import { expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { browserAvailable, makeUser, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("web UI flow");

const CI_YAML = `stages: [build, test, deploy]

build:
  stage: build
  script:
    - echo -e "\\e[0Ksection_start:$(date +%s):deps[collapsed=true]\\r\\e[0KInstalling dependencies"
    - echo "dependency one is installed"
    - echo -e "\\e[0Ksection_end:$(date +%s):deps\\r\\e[0K"
    - for i in $(seq 1 80); do echo -e "\\e[33mbuild step $i\\e[0m"; sleep 0.1; done

slow:
  stage: build
  script:
    - echo "waiting for a long time"
    - sleep 600

unit:
  stage: test
  needs: [build]
  script: echo "unit tests pass"

deploy:
  stage: deploy
  needs: []
  when: manual
  script: echo "deployed $DEPLOY_TARGET"
`;

let t: TestPorthole;
let browser: Browser;
let page: Page;
let errors: string[];
useBrowserSuite(available, { runner: { concurrent: 4 } }, (suite) => ({ t, browser, page, errors } = suite));

/** The job box in the pipeline graph, by job name. */
const jobLink = (name: string) => page.locator(".job-box a.job-link", { hasText: new RegExp(`^${name}`) });
const headStatus = () => page.locator("[data-live-region=job-head] .ci-badge").getAttribute("data-status");

test.skipIf(!available)(
  "sign in, create a project, run a pipeline and work with its jobs",
  async () => {
    const alice = await makeUser(t, "alice");
    await page.goto(`${t.url}/`);
    await page.waitForURL(/\/users\/sign_in/);
    await screenshot(page, "01-sign-in");
    await signIn(page, t.url, alice);
    await screenshot(page, "02-projects-empty");

    await page.getByRole("link", { name: "New project" }).first().click();
    await page.getByLabel("Project name").fill("Web shop");
    await page.getByLabel("Pipeline configuration (YAML)").fill(CI_YAML);
    await page.locator("#f-ci_config-lint", { hasText: "valid" }).waitFor({ timeout: 10_000 });
    await screenshot(page, "03-new-project", true);
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(`${t.url}/alice/web-shop`);
    await page.locator(".flash-notice", { hasText: "successfully created" }).waitFor();
    await screenshot(page, "04-project");

    await page.getByRole("link", { name: "Run pipeline" }).click();
    await page.getByLabel("Variable 1 key").fill("DEPLOY_TARGET");
    await page.getByLabel("Variable 1 value").fill("staging");
    await screenshot(page, "05-run-pipeline");
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.waitForURL(/\/-\/pipelines\/\d+$/);
    const pipelineUrl = page.url();
    expect(await page.locator("svg.needs path").count()).toBe(1);
    await page.waitForSelector('.job-box[data-status="running"]');
    await screenshot(page, "06-pipeline");

    // The log streams in while the build job runs: more lines appear, and the page was never reloaded.
    await jobLink("build").click();
    await page.waitForURL(/\/-\/jobs\/\d+$/);
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = "same page"));
    await page.waitForFunction(() => document.querySelectorAll(".log-lines .ln").length > 0, null, { timeout: 15_000 });
    const before = await page.locator(".log-lines .ln").count();
    await page.waitForFunction((n) => document.querySelectorAll(".log-lines .ln").length >= n + 5, before, {
      timeout: 15_000,
    });
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page");
    expect(await page.locator(".log-lines").innerText()).toContain("build step");
    await page.locator(".log-lines .fg-3").first().waitFor();
    await screenshot(page, "07-job-running");

    // It follows the tail while the view is at the bottom, and stops once the user scrolls up.
    const lineCount = () => page.locator(".log-lines .ln").count();
    await page.waitForFunction(() => document.documentElement.scrollHeight > window.innerHeight + 200, null, {
      timeout: 15_000,
    });
    await page.waitForFunction((n) => document.querySelectorAll(".log-lines .ln").length > n, await lineCount());
    expect(
      await page.evaluate(() => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 40),
    ).toBe(true);
    await page.mouse.wheel(0, -3000);
    await page.waitForFunction(() => window.scrollY === 0);
    await page.waitForFunction((n) => document.querySelectorAll(".log-lines .ln").length >= n + 3, await lineCount());
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.getByRole("button", { name: "Scroll to bottom" }).click();
    await page.waitForFunction((n) => document.querySelectorAll(".log-lines .ln").length >= n + 3, await lineCount());
    expect(
      await page.evaluate(() => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 40),
    ).toBe(true);

    // The collapsed section opens on click and shows its lines.
    const deps = page.locator('details.sec[data-section="deps"]');
    expect(await deps.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.getByText("dependency one is installed", { exact: true }).isVisible()).toBe(false);
    await deps.locator("summary").click();
    await page.getByText("dependency one is installed", { exact: true }).waitFor({ state: "visible" });

    // The status updates live when the job ends.
    await page.waitForFunction(
      () => document.querySelector("[data-live-region=job-head] .ci-badge")?.getAttribute("data-status") === "success",
      null,
      { timeout: 30_000 },
    );
    await page.locator(".log-lines .ln", { hasText: "Job succeeded" }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page");
    await page.locator('details.sec[data-section="step_script"] > summary .sec-dur').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "08-job-finished");

    // Cancel the slow job, then retry it.
    await page.goto(pipelineUrl);
    await jobLink("slow").click();
    await page.waitForFunction(
      () => document.querySelector("[data-live-region=job-head] .ci-badge")?.getAttribute("data-status") === "running",
      null,
      { timeout: 15_000 },
    );
    expect(await page.getByRole("link", { name: "Debug" }).getAttribute("target")).toBe("_blank");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator(".flash-notice", { hasText: "Job canceled" }).waitFor();
    await page.waitForFunction(
      () => document.querySelector("[data-live-region=job-head] .ci-badge")?.getAttribute("data-status") === "canceled",
      null,
      { timeout: 15_000 },
    );
    expect(await page.getByRole("link", { name: "Debug" }).count()).toBe(0);
    await screenshot(page, "09-job-canceled");
    const canceledUrl = page.url();
    await page.getByRole("button", { name: "Retry" }).click();
    await page.waitForURL((u) => /\/-\/jobs\/\d+$/.test(u.pathname) && u.href !== canceledUrl);
    expect(["pending", "running"]).toContain((await headStatus()) ?? "none");

    // Play the manual deploy job with the pipeline's variable.
    await page.goto(pipelineUrl);
    await jobLink("deploy").click();
    await page.getByText("This job requires a manual action").waitFor();
    await screenshot(page, "10-manual-job");
    await page.locator("form[action$='/play']").getByRole("button", { name: "Run job" }).last().click();
    await page.locator(".log-lines .ln", { hasText: "deployed staging" }).waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      () => document.querySelector("[data-live-region=job-head] .ci-badge")?.getAttribute("data-status") === "success",
      null,
      { timeout: 20_000 },
    );

    await page.goto(pipelineUrl.replace(/\/\d+$/, ""));
    expect(await page.locator("table.list tbody tr").count()).toBe(1);
    await screenshot(page, "11-pipelines");
    await page.goto(`${t.url}/`);
    await screenshot(page, "12-projects");
    expect(errors).toEqual([]);
  },
  180_000,
);
