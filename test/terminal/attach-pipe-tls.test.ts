// `porthole attach` without a terminal: a stdin that ends detaches, and --ca-file trusts a TLS front's private certificate.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, runJob } from "../support/terminal-jobs.ts";
import { nginxAvailable, startTlsFront, type TlsFront } from "../support/tls-front.ts";

setDefaultTimeout(30_000);

let t: TestPorthole;
let front: TlsFront | undefined;
beforeAll(async () => {
  t = await startTestPorthole();
  if (nginxAvailable) front = await startTlsFront(t.url);
});
afterAll(async () => {
  await front?.stop();
  await t?.stop();
});

const main = join(import.meta.dir, "../../src/main.ts");
const env = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" });

test("`porthole attach </dev/null` detaches at once instead of holding the job", async () => {
  const job = await runJob(t, await createProject(t, "devnull"));
  const started = Date.now();
  const proc = Bun.spawn([process.execPath, main, "attach", `${t.url}${job.jobPath}`], {
    stdin: Bun.file("/dev/null"),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...env(), PORTHOLE_TOKEN: t.rootToken },
  });
  const timer = setTimeout(() => proc.kill(), 15_000);
  const code = await proc.exited;
  clearTimeout(timer);
  expect(code).toBe(0);
  expect(await new Response(proc.stderr).text()).toContain("porthole attach: detached");
  expect(Date.now() - started).toBeLessThan(15_000);
  // The job was not ended by the detach: it still runs and can be attached again.
  const still = (await (await t.api(`/projects/${job.projectId}/jobs/${job.jobId}`)).json()) as { status: string };
  expect(still.status).toBe("running");
  await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
});

test.skipIf(!nginxAvailable)(
  "attach through a TLS proxy works with --ca-file and PORTHOLE_CA_FILE, fails without",
  async () => {
    const job = await runJob(t, await createProject(t, "behind-tls"));
    const url = `${front!.url}${job.jobPath}`;
    const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const proc = Bun.spawn([process.execPath, main, "attach", url, ...args], {
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
        env: { ...env(), PORTHOLE_TOKEN: t.rootToken, ...extraEnv },
      });
      let out = "";
      const reading = (async () => {
        for await (const chunk of proc.stdout) out += Buffer.from(chunk).toString("latin1");
      })();
      return { proc, out: () => out, reading };
    };

    for (const way of [
      { args: ["--ca-file", front!.caFile] },
      { args: [], env: { PORTHOLE_CA_FILE: front!.caFile } },
    ]) {
      const a = await run(way.args, way.env);
      a.proc.stdin.write("echo through''=tls\n");
      a.proc.stdin.flush();
      const deadline = Date.now() + 15_000;
      while (!/through=tls/.test(a.out()) && Date.now() < deadline && a.proc.exitCode === null) await Bun.sleep(20);
      expect(a.out()).toContain("through=tls");
      a.proc.stdin.end();
      expect(await a.proc.exited).toBe(0);
    }

    const untrusted = await run([]);
    untrusted.proc.stdin.end();
    expect(await untrusted.proc.exited).toBe(1);
    expect(await new Response(untrusted.proc.stderr).text()).toMatch(
      /cannot reach the server: .*(certificate|self.signed)/i,
    );

    const missing = await run(["--ca-file", "/nonexistent/ca.pem"]);
    expect(await missing.proc.exited).toBe(2);
    expect(await new Response(missing.proc.stderr).text()).toContain("--ca-file /nonexistent/ca.pem");
    await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  },
);
