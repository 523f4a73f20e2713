// A 50 MB job log in Chromium: the page is interactive within 2 s (the tail first), earlier parts load on demand
// and join up with the shown part (line numbers continue, the open section is one section).
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { findUserByLogin } from "../../src/auth/users.ts";
import { createProject } from "../../src/http/api/project-store.ts";
import { planJob } from "../../src/http/ui/ui-fixtures.testing.ts";
import { jobs, pipelines } from "../../src/store/schema.ts";
import { browserAvailable, launchBrowser, makeUser, screenshot, signIn, watchPageErrors } from "../support/browser.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("large job log");
const E = "\x1b";
const LOG_BYTES = 50 * 1024 * 1024;

let t: TestPorthole;
let browser: Browser;
beforeAll(async () => {
  if (!available) return;
  t = await startTestPorthole({ runner: { enabled: false } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** A finished job whose log is ~50 MB: a header section, then one long step_script section of coloured lines. */
async function jobWithHugeLog(): Promise<{ url: string; lines: number }> {
  const user = await makeUser(t, "bob");
  const db = t.porthole.store.db;
  const project = createProject(db, findUserByLogin(db, user.username)!, {
    name: "big",
    ci_config: "x:\n  script: true\n",
  });
  const pipeline = db
    .insert(pipelines)
    .values({
      projectId: project.id,
      iid: 1,
      ref: "main",
      sha: "f".repeat(40),
      source: "web",
      status: "success",
      variables: [],
      yamlVariables: [],
    })
    .returning()
    .get();
  const job = db
    .insert(jobs)
    .values({
      pipelineId: pipeline.id,
      projectId: project.id,
      name: "huge",
      stage: "test",
      stageIdx: 0,
      spec: planJob("huge", "test", 0),
      status: "success",
      startedAt: new Date(Date.now() - 600_000),
      finishedAt: new Date(),
    })
    .returning()
    .get();
  const enc = new TextEncoder();
  t.porthole.traces.append(
    job.id,
    enc.encode(
      `${E}[0Ksection_start:1700000000:prepare\r${E}[0K${E}[36;1mPreparing${E}[0;m\nready\n` +
        `${E}[0Ksection_end:1700000001:prepare\r${E}[0K\n${E}[0Ksection_start:1700000001:step_script\r${E}[0K${E}[36;1mScript${E}[0;m\n`,
    ),
  );
  let written = 0;
  let lines = 4; // the number of the next line: 1–3 are the headers and "ready"; end-marker lines are not shown
  while (written < LOG_BYTES) {
    const block: string[] = [];
    for (let i = 0; i < 2000; i++, lines++)
      block.push(
        i % 4 === 0
          ? `${E}[32;1m$ make part-${lines}${E}[0;m`
          : `compiling unit ${lines} of the big build with some detail`,
      );
    const bytes = enc.encode(`${block.join("\n")}\n`);
    t.porthole.traces.append(job.id, bytes);
    written += bytes.length;
  }
  t.porthole.traces.append(
    job.id,
    enc.encode(`${E}[0Ksection_end:1700000601:step_script\r${E}[0K\n${E}[32;1mJob succeeded${E}[0;m\n`),
  );
  t.porthole.traces.finish(job.id);
  return { url: `${t.url}/${user.username}/big/-/jobs/${job.id}`, lines };
}

test.skipIf(!available)(
  "a 50 MB log is interactive within 2 s and loads earlier parts on demand",
  async () => {
    const { url, lines } = await jobWithHugeLog();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    const errors = watchPageErrors(page);
    await signIn(page, t.url, { username: "bob", password: "correct-horse-battery" });

    // Interactive: from the navigation's start (the page's own clock) until a section has been toggled and laid out.
    await page.goto(url, { waitUntil: "load" });
    const interactiveMs = await page.evaluate(() => {
      const section = [...document.querySelectorAll<HTMLDetailsElement>('details.sec[data-section="step_script"]')].at(
        -1,
      )!;
      section.querySelector("summary")!.click();
      void document.body.offsetHeight;
      const at = performance.now();
      section.querySelector("summary")!.click();
      return section.open ? at : -1;
    });
    console.log(`50 MB log: interactive (section toggled) ${interactiveMs.toFixed(0)} ms after navigation start`);
    expect(interactiveMs).toBeGreaterThan(0);
    expect(interactiveMs).toBeLessThan(2000);
    const script = page.locator('details.sec[data-section="step_script"]').last();
    await script.locator(":scope > summary").click();
    expect(await script.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await script.locator(":scope > summary").click();

    // The tail: the last line is there, numbered as in the whole log; the first shown line continues step_script.
    await page.locator(".log-lines .ln", { hasText: "Job succeeded" }).waitFor();
    expect(await page.locator(".log-lines .ln").last().getAttribute("data-n")).toBe(String(lines));
    const firstShown = Number(await page.locator(".log-lines .ln[data-n]").first().getAttribute("data-n"));
    expect(await page.locator(".log-lines > details[data-continued]").count()).toBe(1);
    expect(await page.locator(".log-earlier").innerText()).toContain("Showing the last");
    await screenshot(page, "13-large-log");

    // Load earlier: the chunk joins the shown part; numbering has no gap and the continued section is merged away.
    await page.getByRole("button", { name: "Load earlier" }).click();
    await page.waitForFunction(
      (n) => Number(document.querySelector(".log-lines .ln[data-n]")?.getAttribute("data-n")) < n,
      firstShown,
    );
    const numbers = await page
      .locator(".log-lines .ln[data-n]")
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-n"))));
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);
    expect(numbers.at(-1)).toBe(lines);
    expect(await page.locator(".log-lines > details[data-continued]").count()).toBe(1);
    expect(await page.locator(".log-lines > details.sec").count()).toBe(1);
    expect(errors).toEqual([]);
  },
  120_000,
);
