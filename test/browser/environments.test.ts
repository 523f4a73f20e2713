// The Environments page in Chromium as a user works it: the project's Environments tab lists the review app with
// its URL and last deployment, and Stop (after the confirm) runs its on_stop job until the environment is stopped.
import { expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { browserAvailable, desktopPage, makeUser, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("environments page");

const CI_YAML = `stages: [deploy, cleanup]
deploy:
  stage: deploy
  script: echo "deploying"
  environment:
    name: review/$CI_COMMIT_REF_NAME
    url: https://review.example.com
    on_stop: stop_review
stop_review:
  stage: cleanup
  when: manual
  script: echo "stopping"
  environment:
    name: review/$CI_COMMIT_REF_NAME
    action: stop
`;

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, {}, (suite) => ({ t, browser } = suite));

test.skipIf(!available)(
  "the Environments tab shows the last deployment, and Stop runs the on_stop job",
  async () => {
    const { page, errors } = await desktopPage(browser);
    await signIn(page, t.url, await makeUser(t, "erin"));
    await page.goto(`${t.url}/projects/new`);
    await page.getByLabel("Project name").fill("Review apps");
    await page.getByLabel("Pipeline configuration (YAML)").fill(CI_YAML);
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(`${t.url}/erin/review-apps`);
    await page.getByRole("link", { name: "Run pipeline" }).click();
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.waitForURL(/\/-\/pipelines\/\d+$/);
    await page.locator('.job-box[data-status="success"]', { hasText: "deploy" }).waitFor({ timeout: 30_000 });

    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Environments" }).click();
    await page.waitForURL(`${t.url}/erin/review-apps/-/environments`);
    const row = page.locator('tr[data-environment="review/main"]');
    expect(await row.getByRole("link", { name: "https://review.example.com" }).count()).toBe(1);
    expect(await row.getByRole("link", { name: /^deploy #\d+$/ }).count()).toBe(1);
    expect(await row.innerText()).toContain("available");
    await screenshot(page, "environments");

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Stop review/main (runs stop_review)" }).click();
    await page.waitForURL(`${t.url}/erin/review-apps/-/environments`);
    expect(await page.getByText("Stopping review/main.").count()).toBe(1);
    for (let i = 0; i < 150 && !(await row.innerText()).includes("stopped"); i++) {
      await Bun.sleep(200);
      await page.reload();
    }
    expect(await row.innerText()).toContain("stopped");
    expect(await row.getByRole("button").count()).toBe(0);
    expect(errors).toEqual([]);
  },
  90_000,
);
