// A job log far larger than the page's tail in Chromium: the tail comes first and sections toggle, earlier parts
// load on demand and join up with the shown part (line numbers continue, the open section is one section). How
// fast a 50 MB log becomes interactive is measured by bench/large-log.bench.ts, not asserted here.
import { expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { browserAvailable, desktopPage, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import { jobWithHugeLog } from "../support/huge-log.ts";
import type { TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("large job log");
/** Larger than the tail the page shows plus one "Load earlier" chunk (TAIL_BYTES + CHUNK_BYTES). */
const LOG_BYTES = 4 * 1024 * 1024;

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, { runner: { enabled: false } }, (suite) => ({ t, browser } = suite));

test.skipIf(!available)(
  "a log larger than the tail shows the tail first, toggles its sections, and loads earlier parts on demand",
  async () => {
    const { url, lines, user } = await jobWithHugeLog(t, LOG_BYTES);
    const { page, errors } = await desktopPage(browser);
    await signIn(page, t.url, user);

    await page.goto(url, { waitUntil: "load" });
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
  60_000,
);
