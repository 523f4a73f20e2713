// Debugging on a remote runner (`porthole runner` in process, shell executor): the wait, its terminal through the
// runner's session server, the breakpoint, and Continue forwarded by the server to the runner.
import { afterAll, beforeAll, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema } from "../../src/config/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import { type RemoteRunner, startRemoteRunner } from "../../src/runner/remote/remote-runner.ts";
import {
  continueEndsTheWait,
  failedScriptKeepsItsEnvironment,
  retryPausesAtBreakpoint,
} from "../support/debug-scenarios.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json } from "../support/terminal-jobs.ts";

setDefaultTimeout(60_000);

let t: TestPorthole;
let runner: RemoteRunner;
let runnerDir: string;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false }, runner_api: { long_poll_timeout: 2 } } as Parameters<
    typeof startTestPorthole
  >[0]);
  const { token } = await json<{ token: string }>(
    t.api("/user/runners", { method: "POST", json: { runner_type: "instance_type", description: "remote-debug" } }),
  );
  runnerDir = mkdtempSync(join(tmpdir(), "porthole-remote-debug-"));
  const config = configSchema.parse({
    data_dir: runnerDir,
    runner: { url: t.url, token, name: "remote-debug", executor: "shell", concurrent: 2 },
    session_server: { listen_address: "127.0.0.1:0" },
  });
  runner = await startRemoteRunner(config, silentLogger);
});
afterAll(async () => {
  await runner?.stop();
  await t?.stop();
  rmSync(runnerDir, { recursive: true, force: true });
});

test("a failed script on a remote runner keeps its environment for a terminal, then fails as it did", () =>
  failedScriptKeepsItsEnvironment(t, ""));
test("a retry with a breakpoint on a remote runner pauses, gets a terminal, and goes on at Continue", () =>
  retryPausesAtBreakpoint(t, ""));
test("Continue reaches the remote runner and ends a failed script's wait", () => continueEndsTheWait(t, ""));
