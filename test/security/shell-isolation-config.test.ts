// Without a sandbox the shell executor refuses to start; `runner.shell_isolation = "none"` allows it, loudly.
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ShellServer, startShellServer } from "./shell-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A PATH with the usual tools but no bubblewrap, as on a machine where it is not installed. */
function pathWithoutBwrap(): string {
  const dir = mkdtempSync(join(tmpdir(), "porthole-no-bwrap-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const tool of ["bash", "sh", "git", "setsid", "nsenter", "setpriv", "env", "cat", "ps", "sleep"]) {
    const found = Bun.which(tool);
    if (found) symlinkSync(found, join(dir, tool));
  }
  return dir;
}

test("a server that cannot sandbox shell jobs refuses to start, naming the fix", async () => {
  const started = startShellServer({ PATH: pathWithoutBwrap() });
  const error = await started.then(
    async (s) => {
      cleanups.push(() => s.dispose());
      return null;
    },
    (err: Error) => err,
  );
  expect(error?.message).toContain("exited with code 1 before listening");
  expect(error?.message).toContain("the shell executor cannot sandbox jobs here");
  expect(error?.message).toContain("bubblewrap");
  expect(error?.message).toContain('runner.shell_isolation = "none"');
}, 60_000);

test('runner.shell_isolation = "none" runs jobs on the host, with a WARNING at start and in every job log', async () => {
  const s: ShellServer = await startShellServer({ PORTHOLE_RUNNER_SHELL_ISOLATION: "none" });
  cleanups.push(() => s.dispose());
  expect(s.server.output()).toMatch(
    /level=warn msg="WARNING: runner.shell_isolation = \\"none\\": shell jobs run unsandboxed/,
  );
  const job = await s.runPipeline(s.userToken, "demo", `demo:\n  script: ["echo demo-ran"]\n`);
  const log = await s.traceWith(job.projectId, job.jobId, "demo-ran");
  expect(log).toContain('WARNING: runner.shell_isolation = "none": shell jobs run unsandboxed');
}, 60_000);

test("a runner.shell_user that does not exist is a configuration mistake: exit code 2, naming it", async () => {
  const error = await startShellServer({ PORTHOLE_RUNNER_SHELL_USER: "no-such-user-here" }).then(
    async (s) => {
      cleanups.push(() => s.dispose());
      return null;
    },
    (err: Error) => err,
  );
  expect(error?.message).toContain("exited with code 2 before listening");
  expect(error?.message).toContain('runner.shell_user = "no-such-user-here"');
}, 60_000);
