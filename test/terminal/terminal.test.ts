// Web terminals into running shell jobs, end to end: a real porthole, real jobs, real WebSockets, real shells.
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { jobProcesses } from "../support/processes.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, jobStatus, json, type RunningJob, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(30_000); // jobs start through the real runner; a loaded machine is slow

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole({ runner: { concurrent: 8 } })));
afterAll(() => t?.stop());

let projects = 0;
const started: RunningJob[] = [];
async function newJob(): Promise<RunningJob> {
  const job = await runJob(t, await createProject(t, `term-${++projects}`));
  started.push(job);
  return job;
}
afterEach(async () => {
  for (const job of started.splice(0))
    await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
});

function open(
  job: RunningJob,
  opts: ConstructorParameters<typeof TerminalClient>[1] = {},
  query: Record<string, string> = {},
) {
  return new TerminalClient(terminalWsUrl(t.url, job.jobPath, query), { token: t.rootToken, ...opts });
}

/** Lets the job's script finish by typing `touch go` into the terminal. */
async function finishScript(client: TerminalClient): Promise<void> {
  client.type("touch go\n");
  await client.until(/touch go/);
}

describe("a job's terminal", () => {
  test("runs in the job's environment: its id, its project dir, the size of the last resize", async () => {
    const job = await newJob();
    const c = open(job);
    await c.opened;
    expect(await c.control("hello")).toMatchObject({ type: "hello", job: job.jobId, mode: "rw" });
    c.resize(101, 33);
    c.type("echo id''=$CI_JOB_ID; echo dir''=$(pwd) proj''=$CI_PROJECT_DIR; stty size\n");
    await c.until(/33 101/);
    expect(c.text).toContain(`id=${job.jobId}`);
    const [, dir, projectDir] = c.text.match(/dir=(\S+) proj=(\S+)/)!;
    expect(dir).toBe(projectDir!);
    await c.close();
  });

  test("holds the finished script while attached, then ends with success when the terminal closes", async () => {
    const job = await newJob();
    const c = open(job);
    await c.control("hello");
    await finishScript(c);
    const trace = () => t.api(`/projects/${job.projectId}/jobs/${job.jobId}/trace`).then((r) => r.text());
    await waitFor("the hold notice in the log", async () =>
      (await trace()).includes("Terminal is connected, will time out in 30m0s..."),
    );
    await Bun.sleep(300);
    expect(jobStatus(t, job.jobId)).toBe("running");
    expect(jobProcesses(job.jobId).length).toBeGreaterThan(0); // the terminal's shell: the finder sees this job
    await c.close();
    await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");
    expect(await trace()).toContain("script-finished");
    await waitFor("no process of the job", async () => jobProcesses(job.jobId).length === 0, 5_000);
  });

  test("two clients see the writer's output, the viewer's keys do nothing, a late third gets the screen", async () => {
    const job = await newJob();
    const writer = open(job);
    await writer.control("hello");
    const viewer = open(job);
    expect(await viewer.control("hello")).toMatchObject({ mode: "ro", writers: 1, viewers: 1 });
    viewer.type("echo typed-by-viewer\n");
    writer.type("echo shared-''output\n");
    await writer.until(/shared-output/);
    await viewer.until(/shared-output/);
    expect(writer.text).not.toContain("typed-by-viewer");
    const late = open(job);
    expect(await late.control("hello")).toMatchObject({ mode: "ro", viewers: 2 });
    await late.until(/shared-output/);
    await Promise.all([writer.close(), viewer.close(), late.close()]);
  });

  test("GitLab's own clients work: terminal.gitlab.com and base64.terminal.gitlab.com", async () => {
    const job = await newJob();
    for (const protocol of ["terminal.gitlab.com", "base64.terminal.gitlab.com"]) {
      const c = open(job, { protocols: [protocol] });
      await c.opened;
      expect(c.ws.protocol).toBe(protocol);
      c.type(`echo via-''${protocol}\n`);
      await c.until(new RegExp(`via-${protocol.replace(/\./g, "\\.")}`));
      expect(c.controls).toEqual([]);
      await c.close();
    }
  });

  test("a permessage-deflate client receives a long output stream, in bursts and pauses, whole", async () => {
    const job = await newJob();
    const c = open(job, { perMessageDeflate: true }, { mode: "rw" });
    await c.opened;
    expect(c.ws.extensions).toContain("permessage-deflate");
    await c.control("hello");
    c.type(
      // Bursts of 20 lines (frames that share one compression context) between short pauses (separate frames).
      "stty -echo; for i in $(seq 1 600); do printf 'tick %04d %0200d\\n' $i 0; [ $((i % 20)) -ne 0 ] || sleep 0.05; done; echo STREAM''END\n",
    );
    await c.until(/STREAMEND/, 60_000);
    const ticks = [...c.text.matchAll(/tick (\d{4}) 0{200}\r\n/g)].map((m) => Number(m[1]));
    expect(ticks).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    await c.close();
  });

  test("no shell is left behind after a session, nor after 100 rapid open/close cycles", async () => {
    const job = await newJob();
    for (let i = 0; i < 100; i++) {
      const c = open(job);
      await c.opened;
      await c.close();
    }
    const c = open(job);
    await c.control("hello");
    await finishScript(c);
    await c.close();
    await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");
    await waitFor("no process of the job", async () => jobProcesses(job.jobId).length === 0, 5_000);
  }, 60_000);

  test("every connection is audited; Maintainers can list them", async () => {
    const job = await newJob();
    const c = open(job);
    await c.control("hello");
    await c.close();
    await waitFor("the row to close", async () => {
      const rows = await json<{ close_reason: string | null }[]>(t.api(`/projects/${job.projectId}/terminal_sessions`));
      return rows[0]?.close_reason === "client_closed";
    });
    const [row] = await json<Record<string, unknown>[]>(t.api(`/projects/${job.projectId}/terminal_sessions`));
    expect(row).toMatchObject({
      job_id: job.jobId,
      mode: "rw",
      subprotocol: "porthole.terminal.v1",
      remote_address: "127.0.0.1",
    });
    expect((row!.user as { username: string }).username).toBe("root");
    const events = await json<{ details: { custom_message: string; target_id: number } }[]>(
      t.api(`/projects/${job.projectId}/audit_events?per_page=100`),
    );
    const actions = events
      .filter((e) => Number(e.details.target_id) === job.jobId)
      .map((e) => e.details.custom_message);
    expect(actions.sort()).toEqual(["terminal_closed", "terminal_opened"]);
  });
});
