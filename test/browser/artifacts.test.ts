// The artifact pages in Chromium: a failing junit suite's counts in the Tests tab, the job's artifacts card,
// browsing the archive's tree, a text file shown in the page, Keep, and an expose_as link on the pipeline.
import { expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { users } from "../../src/store/schema.ts";
import { browserAvailable, makeUser, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import type { TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("artifact pages");

const CI = `
unit:
  script:
    - mkdir -p reports site/docs
    - echo "<h1>coverage 87%</h1>" > site/index.html
    - echo "read me" > site/docs/readme.txt
    - |
      cat > reports/unit.xml <<'XML'
      <testsuites>
        <testsuite name="unit">
          <testcase classname="cart" name="adds items" time="0.2"/>
          <testcase classname="cart" name="applies the discount" time="0.7">
            <failure message="expected 90, got 100">cart_test.js:42</failure>
          </testcase>
          <testcase classname="cart" name="removes items" time="0.1"/>
        </testsuite>
      </testsuites>
      XML
    - exit 1
  artifacts:
    when: always
    paths: [site/]
    expose_as: Coverage site
    reports:
      junit: reports/unit.xml
`;

let t: TestPorthole;
let browser: Browser;
let page: Page;
let errors: string[];
useBrowserSuite(available, {}, (suite) => ({ t, browser, page, errors } = suite));

test.skipIf(!available)(
  "the Tests tab counts a failing suite; the job's artifacts can be browsed, viewed and kept",
  async () => {
    const bob = await makeUser(t, "bob");
    const bobId = t.porthole.store.db.select().from(users).where(eq(users.username, "bob")).get()!.id;
    const project = (await (
      await t.api("/projects", { method: "POST", json: { name: "shop", ci_config: CI } })
    ).json()) as {
      id: number;
    };
    await t.api(`/projects/${project.id}/members`, { method: "POST", json: { user_id: bobId, access_level: 30 } });
    const pipeline = (await (
      await t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } })
    ).json()) as { id: number };
    await waitFor("the pipeline to fail", async () => {
      const p = (await (await t.api(`/projects/${project.id}/pipelines/${pipeline.id}`)).json()) as { status: string };
      return p.status === "failed";
    });

    await signIn(page, t.url, bob);
    await page.goto(`${t.url}/root/shop/-/pipelines/${pipeline.id}`);
    expect(await page.locator("nav.tabs[aria-label=Pipeline]").innerText()).toContain("Tests 3");
    expect(await page.locator("[data-exposed-artifacts] a").innerText()).toBe("Coverage site (unit)");
    await screenshot(page, "artifacts-01-pipeline");

    await page.getByRole("link", { name: /^Tests/ }).click();
    await page.waitForURL(/\/test_report$/);
    expect(await page.locator("[data-count=total]").innerText()).toBe("3");
    expect(await page.locator("[data-count=failed]").innerText()).toBe("1");
    expect(await page.locator("[data-count=success]").innerText()).toBe("2");
    const first = page.locator("[data-test-suite=unit] tbody tr").first();
    expect(await first.getAttribute("data-test-case")).toBe("failed");
    expect(await first.innerText()).toContain("applies the discount");
    await first.locator("summary").click();
    expect(await first.locator("pre").innerText()).toBe("expected 90, got 100\ncart_test.js:42");
    await screenshot(page, "artifacts-02-tests", true);

    await page.goto(`${t.url}/root/shop/-/pipelines/${pipeline.id}`);
    await page.locator("[data-exposed-artifacts] a").click();
    await page.waitForURL(/\/artifacts\/browse$/);
    expect(await page.locator("[data-artifact-tree] a").allInnerTexts()).toEqual(["site/"]);
    await page.getByRole("link", { name: "site/" }).click();
    expect(await page.locator("[data-artifact-tree] a").allInnerTexts()).toEqual(["docs/", "index.html"]);
    await page.getByRole("link", { name: "docs/" }).click();
    await page.getByRole("link", { name: "readme.txt" }).click();
    expect(await page.locator("[data-artifact-text]").innerText()).toBe("read me\n");
    await screenshot(page, "artifacts-03-file");

    const jobs = (await (await t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`)).json()) as {
      id: number;
    }[];
    await page.goto(`${t.url}/root/shop/-/jobs/${jobs[0]!.id}`);
    const card = page.locator("[data-artifacts]");
    expect(await card.innerText()).toContain("These artifacts expire");
    const download = await page.request.get(
      await card.locator("[data-artifacts-download]").evaluate((a) => (a as HTMLAnchorElement).href),
    );
    expect(download.headers()["content-type"]).toBe("application/zip");
    const report = card.locator("[data-artifact-reports] a");
    expect(await report.innerText()).toBe("junit report");
    const junit = await page.request.get(await report.evaluate((a) => (a as HTMLAnchorElement).href));
    expect(junit.headers()["content-disposition"]).toContain("junit-report.zip");
    expect((await junit.body()).toString("latin1")).toContain("unit.xml");
    await screenshot(page, "artifacts-04-job");
    await card.getByRole("button", { name: "Keep" }).click();
    await page.locator(".flash-notice", { hasText: "kept" }).waitFor();
    expect(await page.locator("[data-artifacts]").innerText()).toContain("These artifacts are kept.");
    const job = (await (await t.api(`/projects/${project.id}/jobs/${jobs[0]!.id}`)).json()) as {
      artifacts_expire_at: unknown;
    };
    expect(job.artifacts_expire_at).toBeNull();
    expect(errors).toEqual([]);
  },
  90_000,
);
