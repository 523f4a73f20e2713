// The pipeline page in Chromium as a GitLab user works it: Retry and Run on the graph stay on the pipeline, the
// retried first attempt stays listed (collapsed), and a stage holding only a playable manual job reads "manual".
import { expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { browserAvailable, makeUser, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("pipeline actions");

const CI_YAML = `stages: [build, deploy]

build:
  stage: build
  script: echo "built"

deploy:
  stage: deploy
  when: manual
  script: echo "deployed"
`;

let t: TestPorthole;
let browser: Browser;
let page: Page;
let errors: string[];
useBrowserSuite(available, { runner: { concurrent: 2 } }, (suite) => ({ t, browser, page, errors } = suite));

const stageIcon = (stage: string) => page.locator(`section[aria-label="Stage ${stage}"] h3 .ci-icon`);

test.skipIf(!available)(
  "retry and run from the graph stay on the pipeline; the first attempt stays listed; the manual stage says manual",
  async () => {
    await signIn(page, t.url, await makeUser(t, "gina"));
    await page.goto(`${t.url}/projects/new`);
    await page.getByLabel("Project name").fill("Shop");
    await page.getByLabel("Pipeline configuration (YAML)").fill(CI_YAML);
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(`${t.url}/gina/shop`);
    await page.getByRole("link", { name: "Run pipeline" }).click();
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.waitForURL(/\/-\/pipelines\/\d+$/);
    const pipelineUrl = page.url();

    // The graph updates live: the build box turns passed without a reload.
    await page.locator('.job-box[data-status="success"]', { hasText: "build" }).waitFor({ timeout: 30_000 });

    // The deploy stage's only job is manual with a Run button: the stage says manual, not skipped.
    expect(await stageIcon("deploy").getAttribute("aria-label")).toBe("manual");
    expect(await page.getByRole("button", { name: "Run deploy" }).count()).toBe(1);

    // Retry on the graph: the page stays on the pipeline.
    await page.getByRole("button", { name: "Retry build" }).click();
    await page.locator(".flash-notice", { hasText: "Job retried" }).waitFor();
    expect(page.url()).toBe(pipelineUrl);

    // The first attempt is still on the page, collapsed under "Retried jobs"; the current count is unchanged.
    expect(await page.locator("#jobs .pill").innerText()).toBe("2");
    const retried = page.locator("details.retried-jobs");
    expect(await retried.locator("summary").innerText()).toContain("Retried jobs");
    expect(await retried.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await retried.locator("summary").click();
    const firstAttempt = retried.locator("tbody tr");
    expect(await firstAttempt.count()).toBe(1);
    expect(await firstAttempt.innerText()).toContain("build");
    expect(await firstAttempt.locator(".ci-badge").getAttribute("data-status")).toBe("success");
    await screenshot(page, "pipeline-retried-jobs", true);

    // Run the manual job on the graph: again the page stays on the pipeline.
    await page.getByRole("button", { name: "Run deploy" }).click();
    await page.locator(".flash-notice", { hasText: "Job started" }).waitFor();
    expect(page.url()).toBe(pipelineUrl);
    expect(errors).toEqual([]);
  },
  120_000,
);

test.skipIf(!available)("the CI/CD settings page says who runs jobs and how remote runners register", async () => {
  await page.goto(`${t.url}/gina/shop/-/settings/ci_cd`);
  const runners = page.locator("section", { has: page.getByRole("heading", { name: "Runners", exact: true }) });
  const text = await runners.locator("p").first().innerText();
  expect(text).toContain("The embedded runner runs this project's jobs.");
  expect(text).toContain(
    "Remote runners register with a token from Admin → Runners, using porthole runner or gitlab-runner.",
  );
  expect(text).not.toContain("Administrators add runners in the Admin area");
});
