// `porthole attach` run in a real terminal: raw keys reach the job's shell, the window size follows, Ctrl-] detaches.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Pty } from "../../src/domain/pty.ts";
import { spawnPty } from "../../src/pty/spawn-pty.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(30_000); // jobs start through the real runner; a loaded machine is slow

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole()));
afterAll(() => t?.stop());

const main = join(import.meta.dir, "../../src/main.ts");

function attach(args: string[], env: Record<string, string> = {}) {
  const pty = spawnPty([process.execPath, main, "attach", ...args], {
    cwd: import.meta.dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
    cols: 100,
    rows: 30,
  });
  let text = "";
  pty.onData((b) => (text += Buffer.from(b).toString("latin1")));
  const exited = new Promise<number | null>((resolve) => pty.onExit(resolve));
  const until = async (pattern: RegExp, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(text)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in ${JSON.stringify(text.slice(-400))}`);
      await Bun.sleep(10);
    }
  };
  return { pty, until, exited, text: () => text };
}

test("attach types into the job's shell, follows the window size, and detaches with Ctrl-]", async () => {
  const job = await runJob(t, await createProject(t, "attached"));
  const a = attach([`${t.url}${job.jobPath}`], { PORTHOLE_TOKEN: t.rootToken });
  const pty: Pty = a.pty;
  await a.until(/[#$] $/); // the prompt: `$` for the unprivileged user a root server runs jobs as
  pty.write("echo id''=$CI_JOB_ID; stty size\r");
  await a.until(new RegExp(`id=${job.jobId}[\\s\\S]*30 100`));
  pty.resize(120, 40);
  // attach sends the new size when it handles SIGWINCH, which may come after keys typed at once: ask until it shows.
  await waitFor("the shell to see 120x40", async () => {
    pty.write("stty size\r");
    await Bun.sleep(200);
    return /40 120/.test(a.text());
  });
  pty.write("\x1d");
  expect(await a.exited).toBe(0);
  expect(a.text()).toContain("porthole attach: detached");
  await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
}, 30_000);

test("attach explains a refusal and exits non-zero; bad usage exits 2", async () => {
  const job = await runJob(t, await createProject(t, "refused"));
  const bad = attach([`${t.url}${job.jobPath}`, "--token", "glpat-wrong"]);
  expect(await bad.exited).toBe(1);
  expect(bad.text()).toContain("the token was not accepted (401)");
  const usage = attach(["not-a-url"], { PORTHOLE_TOKEN: t.rootToken });
  expect(await usage.exited).toBe(2);
  expect(usage.text()).toContain("not a URL");
  await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
}, 30_000);
