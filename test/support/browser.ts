// Browser tests' shared setup: headless Debian Chromium via playwright-core, a signed-in page, screenshots.
import { afterAll, beforeAll } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { insertTestUser, TEST_PASSWORD } from "../../src/auth/users.testing.ts";
import { startTestPorthole, type TestPorthole } from "./porthole.ts";

const CHROMIUM = process.env.PORTHOLE_CHROMIUM ?? "/usr/bin/chromium";

/** Whether browser tests run; with PORTHOLE_REQUIRE_BROWSER set, a missing Chromium is a failure instead of a skip. */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.PORTHOLE_REQUIRE_BROWSER)
    throw new Error(`PORTHOLE_REQUIRE_BROWSER is set but ${CHROMIUM} is missing`);
  console.log(`skipped: ${suite} (no Chromium at ${CHROMIUM}; set PORTHOLE_REQUIRE_BROWSER=1 to make this a failure)`);
  return false;
}

/** Headless Chromium; `extraArgs` adds flags (e.g. `--ignore-certificate-errors` behind a self-signed proxy). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", ...extraArgs],
  });
}

export const SCREENSHOTS = resolve(import.meta.dir, "../../test-output/screenshots");

/**
 * Saves a screenshot of the viewport as test-output/screenshots/<name>.png (pictures for the README, not an
 * assertion). Headless Chromium on a loaded machine now and then never delivers the frame a capture waits for, or
 * loses the target mid-capture; then the picture is skipped, said so, and the test goes on with what it asserts.
 */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage, timeout: 10_000 });
  } catch (error) {
    const transient =
      error instanceof Error &&
      (error.name === "TimeoutError" || error.message.includes("Not attached to an active page"));
    if (!transient) throw error;
    console.log(`screenshot ${name} skipped: ${error.message.split("\n")[0]}`);
  }
}

/** A user with a known password, TEST_PASSWORD (the sign-in form is exercised with it). */
export async function makeUser(t: TestPorthole, username: string): Promise<{ username: string; password: string }> {
  insertTestUser(t.porthole.store.db, { username, name: username[0]!.toUpperCase() + username.slice(1) });
  return { username, password: TEST_PASSWORD };
}

/** Signs in through the form and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/users/sign_in`);
  await page.getByLabel("Username or primary email").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Fails the test on any script error or CSP violation in the page. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) errors.push(`csp: ${m.text()}`);
  });
  return errors;
}

/** A new 1280×860 page of `browser` (a context of its own) with its script errors watched (see watchPageErrors). */
export async function desktopPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  return { page, errors: watchPageErrors(page) };
}

/** What a browser test file works with: its porthole, Chromium, and a desktop page with its errors watched. */
export interface BrowserSuite {
  t: TestPorthole;
  browser: Browser;
  page: Page;
  errors: string[];
}

/**
 * Registers the file's beforeAll and afterAll: when `available`, starts a porthole (`overrides` as startTestPorthole
 * takes them), Chromium and a desktop page, hands them to `take`, and stops what was started after the file.
 */
export function useBrowserSuite(
  available: boolean,
  overrides: Parameters<typeof startTestPorthole>[0],
  take: (suite: BrowserSuite) => void,
): void {
  let t: TestPorthole | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!available) return;
    t = await startTestPorthole(overrides);
    browser = await launchBrowser();
    take({ t, browser, ...(await desktopPage(browser)) });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
}
