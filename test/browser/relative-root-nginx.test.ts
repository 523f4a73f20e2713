// porthole behind nginx at https://127.0.0.1:<port>/ci/ (GitLab's relative URL root), in Chromium: sign in, open a
// project, click Debug, type in the terminal, download the raw log; every request the browser makes stays under /ci/.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { apiFetch } from "../support/api-fetch.ts";
import { browserAvailable, launchBrowser, screenshot, watchPageErrors } from "../support/browser.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, jobStatus, runJob } from "../support/terminal-jobs.ts";
import { freePort, nginxAvailable, startTlsFront, type TlsFront } from "../support/tls-front.ts";
import { waitFor } from "../support/wait.ts";

const available = browserAvailable("porthole behind nginx at a sub-path") && nginxAvailable;
if (!nginxAvailable) console.log("skipped: porthole behind nginx at a sub-path (no nginx or openssl)");

let t: TestPorthole;
/** The same porthole with its API reached directly (the test's own calls skip the proxy's self-signed TLS). */
let direct: TestPorthole;
let front: TlsFront;
let browser: Browser;
beforeAll(async () => {
  if (!available) return;
  const [frontPort, backendPort] = [await freePort(), await freePort()];
  t = await startTestPorthole({
    listen: `127.0.0.1:${backendPort}`,
    external_url: `https://127.0.0.1:${frontPort}/ci/`,
    session_server: { session_timeout: 1800 },
  });
  const backend = `http://127.0.0.1:${backendPort}`;
  direct = { ...t, url: `${backend}/ci`, api: (path, init) => apiFetch(`${backend}/ci`, t.rootToken, path, init) };
  front = await startTlsFront(backend, { port: frontPort, location: "/ci/" });
  browser = await launchBrowser(["--ignore-certificate-errors"]);
});
afterAll(async () => {
  await browser?.close();
  await front?.stop();
  await t?.stop();
});

test.skipIf(!available)(
  "sign-in, a project, Debug with typing in the terminal and the raw log download all stay under /ci/",
  async () => {
    const base = `${front.url}/ci`;
    expect(t.url).toBe(base);
    const job = await runJob(direct, await createProject(direct, "behind-proxy"));
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    const requested: string[] = [];
    context.on("request", (r) => requested.push(r.url()));
    const sockets: string[] = [];
    context.on("page", (p) => p.on("websocket", (ws) => sockets.push(ws.url())));
    const page = await context.newPage();
    page.on("websocket", (ws) => sockets.push(ws.url()));
    const errors = watchPageErrors(page);

    // Signed out, the root sends to the sign-in form under /ci; signing in comes back to /ci/.
    await page.goto(`${base}/`);
    await page.waitForURL(`${base}/users/sign_in?redirect_to=%2F`);
    await page.getByLabel("Username or primary email").fill("root");
    await page.getByLabel("Password").fill(t.rootPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/`);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "_porthole_session")?.path).toBe("/ci");

    await page.getByRole("link", { name: /behind-proxy/ }).click();
    await page.waitForURL(`${base}/${job.projectPath}`);
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("link", { name: "debug-me" }).first().click();
    await page.waitForURL(`${base}${job.jobPath}`);

    const [terminalPage] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("link", { name: "Debug" }).click(),
    ]);
    await terminalPage.waitForURL(`${base}${job.jobPath}/terminal`);
    const terminalErrors = watchPageErrors(terminalPage);
    await terminalPage.locator("#state[data-state='rw']").waitFor({ timeout: 20_000 });
    await terminalPage.locator(".xterm").click();
    await terminalPage.keyboard.type("echo typed-$((6*7)); touch go\n");
    await terminalPage.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("typed-42"));
    expect(await terminalPage.locator("#job-link").getAttribute("href")).toBe(`/ci${job.jobPath}`);
    await screenshot(terminalPage, "relative-root-terminal");
    await terminalPage.close();
    await waitFor("the job to finish once the terminal left", async () =>
      jobStatus(t, job.jobId) === "success" ? true : undefined,
    );

    await page.reload();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download" }).click(),
    ]);
    const log = readFileSync((await download.path())!, "utf8");
    expect(log).toContain("script-finished");
    expect(download.url()).toBe(`${base}${job.jobPath}/raw?download=1`);

    // The API through the proxy: under /ci, with web_urls and pagination links under it too.
    const ca = readFileSync(front.caFile, "utf8");
    const viaProxy = (path: string) =>
      fetch(`${base}/api/v4${path}`, { headers: { "PRIVATE-TOKEN": t.rootToken }, tls: { ca } });
    const projects = await viaProxy("/projects?per_page=1");
    expect(projects.status).toBe(200);
    const [listed] = (await projects.json()) as { web_url: string; owner: { web_url: string } }[];
    expect(listed!.web_url).toBe(`${base}/${job.projectPath}`);
    expect(projects.headers.get("link") ?? "").toContain(`<${base}/api/v4/projects?`);
    await page.goto(listed!.owner.web_url);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Administrator");

    expect(sockets).toEqual([
      expect.stringMatching(new RegExp(`^wss://127\\.0\\.0\\.1:\\d+/ci${job.jobPath}/terminal\\.ws\\?`)),
    ]);
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((u) => !u.startsWith(`${base}/`))).toEqual([]);
    expect([...errors, ...terminalErrors]).toEqual([]);
  },
  120_000,
);
