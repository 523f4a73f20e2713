// Issue 16, item 4: Debug on a job still on its way (pending, preparing) waits for its terminal instead of a 409.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { silentLogger } from "../../src/logger.ts";
import { browserAvailable, launchBrowser } from "../support/browser.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, jobStatus, json, runJob } from "../support/terminal-jobs.ts";

setDefaultTimeout(60_000);

const TWO_JOBS = `first:\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\nsecond:\n  script:\n    - while [ ! -f go2 ]; do sleep 0.1; done\n`;

let t: TestPorthole;
/** The server's HTTP idle timeout here (Bun's default is 10 s): a waiting upgrade must outlive it. */
const IDLE_TIMEOUT_S = 2;
beforeAll(
  async () =>
    (t = await startTestPorthole(
      { runner: { concurrent: 1 } },
      { logger: silentLogger, httpIdleTimeoutSeconds: IDLE_TIMEOUT_S },
    )),
);
afterAll(() => t?.stop());

test("a socket for a pending job waits until the job runs and offers its terminal, then opens", async () => {
  const project = await createProject(t, "waiting", TWO_JOBS);
  const first = await runJob(t, project);
  const jobs = await json<{ id: number; name: string }[]>(t.api(`/projects/${project.id}/jobs`));
  const second = jobs.find((j) => j.id !== first.jobId)!;
  const secondPath = `/${project.path}/-/jobs/${second.id}`;
  expect(jobStatus(t, second.id)).toBe("pending"); // one runner slot, taken by the first job

  const check = await fetch(`${t.url}${secondPath}/terminal/check`, { headers: { "PRIVATE-TOKEN": t.rootToken } });
  expect(check.status).toBe(409);
  expect(((await check.json()) as { reason: string }).reason).toBe("not_offered");

  const client = new TerminalClient(terminalWsUrl(t.url, secondPath), { token: t.rootToken });
  let openedAt = 0;
  void client.opened.then(() => (openedAt = Date.now())).catch(() => {});
  await Bun.sleep(IDLE_TIMEOUT_S * 1000 + 1000); // longer than the server's idle timeout of an unanswered request
  expect(openedAt).toBe(0); // still waiting: not refused, not open
  const freed = Date.now();
  await t.api(`/projects/${project.id}/jobs/${first.jobId}/cancel`, { method: "POST" });
  await client.opened;
  expect(openedAt).toBeGreaterThanOrEqual(freed);
  expect((await client.control("hello")).job).toBe(second.id);
  await client.close();
  await t.api(`/projects/${project.id}/jobs/${second.id}/cancel`, { method: "POST" });
});

test("a finished job is still refused at once", async () => {
  const project = await createProject(t, "finished-now");
  const job = await runJob(t, project);
  await t.api(`/projects/${project.id}/jobs/${job.jobId}/cancel`, { method: "POST" });
  const started = Date.now();
  const client = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
  await expect(client.opened).rejects.toThrow();
  expect(Date.now() - started).toBeLessThan(5_000);
});

test("`porthole attach` on a pending job waits for it instead of giving up", async () => {
  const project = await createProject(t, "waiting-attach", TWO_JOBS);
  const first = await runJob(t, project);
  const jobs = await json<{ id: number }[]>(t.api(`/projects/${project.id}/jobs`));
  const second = jobs.find((j) => j.id !== first.jobId)!;
  const proc = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, "../../src/main.ts"),
      "attach",
      `${t.url}/${project.path}/-/jobs/${second.id}`,
    ],
    {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", PORTHOLE_TOKEN: t.rootToken },
    },
  );
  let out = "";
  void (async () => {
    for await (const chunk of proc.stdout) out += Buffer.from(chunk).toString("latin1");
  })();
  await Bun.sleep(1_000);
  expect(proc.exitCode).toBeNull();
  await t.api(`/projects/${project.id}/jobs/${first.jobId}/cancel`, { method: "POST" });
  proc.stdin.write("echo waited''=ok\n");
  proc.stdin.flush();
  const deadline = Date.now() + 20_000;
  while (!out.includes("waited=ok") && Date.now() < deadline && proc.exitCode === null) await Bun.sleep(20);
  expect(out).toContain("waited=ok");
  proc.stdin.end();
  expect(await proc.exited).toBe(0);
  expect(await new Response(proc.stderr).text()).toContain("waiting (up to 60 s) for the job's environment");
  await t.api(`/projects/${project.id}/jobs/${second.id}/cancel`, { method: "POST" });
});

const browsing = browserAvailable("terminal offer wait page");
test.skipIf(!browsing)("the page says it waits for the job's environment, then connects", async () => {
  const project = await createProject(t, "waiting-page", TWO_JOBS);
  const first = await runJob(t, project);
  const jobs = await json<{ id: number }[]>(t.api(`/projects/${project.id}/jobs`));
  const second = jobs.find((j) => j.id !== first.jobId)!;
  const root = t.porthole.store.repos.users.findByLogin("root")!;
  const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: "_porthole_session", value: cookieValue, url: t.url }]);
    const page = await context.newPage();
    await page.goto(`${t.url}/${project.path}/-/jobs/${second.id}/terminal`);
    await page.waitForSelector('#state[data-state="waiting"]', { timeout: 15_000 });
    expect(await page.locator("#state").textContent()).toBe("waiting for the job's environment…");
    await t.api(`/projects/${project.id}/jobs/${first.jobId}/cancel`, { method: "POST" });
    await page.waitForSelector('#state[data-state="rw"]', { timeout: 30_000 });
  } finally {
    await browser.close();
    await t.api(`/projects/${project.id}/jobs/${second.id}/cancel`, { method: "POST" });
  }
});
