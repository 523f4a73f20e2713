// The hold's session_timeout ending a job by itself, and a `yes` flood against a client that stops acknowledging.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { jobProcesses } from "../support/processes.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, jobStatus, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(30_000); // jobs start through the real runner; a loaded machine is slow

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole({ session_server: { session_timeout: 2 } })));
afterAll(() => t?.stop());

test("a held job ends by itself once session_timeout passes, and tells the terminal why", async () => {
  const job = await runJob(t, await createProject(t, "held"));
  const c = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
  await c.control("hello");
  c.type("touch go\n");
  const closing = await c.control("closing", 20_000);
  expect(closing).toEqual({ type: "closing", reason: "session_timeout" });
  await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");
  const trace = await (await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/trace`)).text();
  expect(trace).toContain("Terminal is connected, will time out in 2s...");
  await waitFor("no process of the job", async () => jobProcesses(job.jobId).length === 0, 5_000);
});

test("a client that stops acknowledging stops the flood; Ctrl-C still ends it", async () => {
  const job = await runJob(t, await createProject(t, "flood"));
  const c = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { flow: "ack" }), { token: t.rootToken });
  await c.control("hello");
  c.type("yes\n");
  await c.until(/y\r\ny\r\n/);
  await Bun.sleep(500);
  const held = c.received;
  await Bun.sleep(500);
  expect(c.received - held).toBeLessThan(64 * 1024); // paused: at most what the kernel had already handed over
  expect(held).toBeLessThan(2 << 20);
  c.type("\x03");
  c.ws.send(JSON.stringify({ type: "ack", bytes: c.received }));
  c.type("echo after''-flood $?\n");
  const sentAt = Date.now();
  while (!/after-flood 130/.test(c.text.slice(-4096))) {
    c.ws.send(JSON.stringify({ type: "ack", bytes: c.received }));
    if (Date.now() - sentAt > 10_000) throw new Error(`no prompt after Ctrl-C: ${JSON.stringify(c.text.slice(-200))}`);
    await Bun.sleep(10);
  }
  await c.close();
  await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
});
