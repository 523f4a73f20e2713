// Child pipelines in Chromium: the parent's graph draws the bridge with what it created and links there; the
// child's page links back to its parent.
import { expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { browserAvailable, makeUser, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("downstream pipelines");

// A project without a repository: its child comes from an artifact the first stage writes.
const CI_YAML = `stages: [build, test, deploy]

generate:
  stage: build
  script:
    - |
      printf 'child-job:\\n  script: [echo from the child]\\n' > child.yml
  artifacts:
    paths: [child.yml]

child:
  stage: test
  trigger:
    include:
      - artifact: child.yml
        job: generate
    strategy: depend

after:
  stage: deploy
  script: echo done
`;

let t: TestPorthole;
let browser: Browser;
let page: Page;
let errors: string[];
useBrowserSuite(available, { runner: { concurrent: 2 } }, (suite) => ({ t, browser, page, errors } = suite));

test.skipIf(!available)(
  "the bridge's box links to the child pipeline, whose page links back",
  async () => {
    await signIn(page, t.url, await makeUser(t, "hana"));
    await page.goto(`${t.url}/projects/new`);
    await page.getByLabel("Project name").fill("Kids");
    await page.getByLabel("Pipeline configuration (YAML)").fill(CI_YAML);
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(`${t.url}/hana/kids`);
    await page.getByRole("link", { name: "Run pipeline" }).click();
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.waitForURL(/\/-\/pipelines\/\d+$/);
    const parentUrl = page.url();

    // The graph follows the pipeline live until the child (and so the bridge) passed.
    const bridge = page.locator('.job-box.bridge[data-status="success"]', { hasText: "child" });
    await bridge.waitFor({ timeout: 60_000 });
    await page.locator('.job-box[data-status="success"]', { hasText: "after" }).waitFor({ timeout: 30_000 });
    expect(await bridge.innerText()).toMatch(/child #\d+ · passed/i);
    await screenshot(page, "pipeline-child-bridge");

    await bridge.getByRole("link").click();
    await page.waitForURL(/\/-\/pipelines\/\d+$/);
    expect(page.url()).not.toBe(parentUrl);
    await page.locator('.job-box[data-status="success"]', { hasText: "child-job" }).waitFor();
    const back = page.locator(".pipeline-summary .upstream");
    expect(await back.innerText()).toMatch(/Child pipeline of\s*#\d+\s*\(child\)/);
    await back.getByRole("link").click();
    await page.waitForURL(parentUrl);
    expect(errors).toEqual([]);
  },
  120_000,
);
