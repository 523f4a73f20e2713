// Log search in Chromium on a 50 MB log: the server searches the stored log, the page lists matching lines and
// jumps to one far before the shown tail, which is loaded around it (the page never holds the whole log).
import { expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { browserAvailable, desktopPage, screenshot, signIn, useBrowserSuite } from "../support/browser.ts";
import { jobWithHugeLog } from "../support/huge-log.ts";
import type { TestPorthole } from "../support/porthole.ts";

const available = browserAvailable("job log search");
const LOG_BYTES = 50 * 1024 * 1024;

let t: TestPorthole;
let browser: Browser;
useBrowserSuite(available, { runner: { enabled: false } }, (suite) => ({ t, browser } = suite));

test.skipIf(!available)(
  "searching a 50 MB log finds a line near its start and jumps to it; the page holds only a window of the log",
  async () => {
    const { url, lines, user } = await jobWithHugeLog(t, LOG_BYTES);
    const { page, errors } = await desktopPage(browser);
    await signIn(page, t.url, user);
    const received: number[] = [];
    page.on("response", async (res) => {
      if (res.url().startsWith(t.url)) received.push((await res.body().catch(() => Buffer.alloc(0))).length);
    });
    await page.goto(url, { waitUntil: "load" });
    await page.locator(".log-lines .ln", { hasText: "Job succeeded" }).waitFor();

    // Line 4 holds `$ make part-4` (see huge-log.ts): far before the 128 KB tail the page shows.
    const search = page.getByRole("searchbox", { name: "Search the job log" });
    await search.fill("make part-4");
    await search.press("Enter");
    const results = page.locator("[data-log-search-results]");
    await results.getByText(/matching lines? /).waitFor({ timeout: 30_000 });
    const first = results.getByRole("button", { name: "Line 4", exact: true });
    await first.waitFor();
    expect(await results.locator("li").first().innerText()).toContain("$ make part-4");
    // The first match is jumped to: the lines around it replace the tail, the hit is marked and in view.
    const hit = page.locator(".log-lines .ln-hit");
    await hit.waitFor();
    expect(await hit.getAttribute("data-n")).toBe("4");
    expect(await hit.innerText()).toBe("$ make part-4");
    expect(await hit.isVisible()).toBe(true);
    expect(await page.locator("[data-log-jumped]").innerText()).toContain("Showing the lines around line 4");
    await screenshot(page, "log-search");

    // On a fresh page a match at the end is in the shown tail: it is marked there.
    await page.goto(url, { waitUntil: "load" });
    await search.fill("Job succeeded");
    await search.press("Enter");
    await results.getByText("1 matching line.").waitFor({ timeout: 30_000 });
    expect(await page.locator(".log-lines .ln-hit").getAttribute("data-n")).toBe(String(lines));
    expect(await page.locator("[data-log-jumped]").isVisible()).toBe(false);
    // A search over the whole log with no match answers, having searched all 50 MB on the server.
    await search.fill("no such line anywhere");
    await search.press("Enter");
    await results.getByText("No lines match.").waitFor({ timeout: 30_000 });
    expect(received.reduce((a, b) => a + b, 0)).toBeLessThan(5 * 1024 * 1024);
    expect(errors).toEqual([]);

    // Without JavaScript the same form searches on the server and a result opens the lines around it.
    const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signIn(plain, t.url, user);
    await plain.goto(url);
    await plain.getByRole("searchbox", { name: "Search the job log" }).fill("make part-4");
    await plain.getByRole("button", { name: "Search" }).click();
    await plain.getByRole("link", { name: "Line 4", exact: true }).click();
    await plain.waitForURL(/around=\d+&line=4#L4$/);
    expect(await plain.locator(".log-lines .ln-hit").getAttribute("data-n")).toBe("4");
    expect(await plain.locator("[data-log-jumped]").innerText()).toContain("Showing the lines around line 4");
  },
  120_000,
);
