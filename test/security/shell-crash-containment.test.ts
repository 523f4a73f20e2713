// Issue 13: shell jobs die with the server. kill -9 of the server leaves no job process behind, without a restart.
import { afterAll, expect, test } from "bun:test";
import { waitFor } from "../support/wait.ts";
import { type ShellServer, startShellServer } from "./shell-server.ts";

let s: ShellServer | undefined;
afterAll(async () => {
  await s?.dispose();
});

/** Host processes whose command line carries `marker` (this run's unique sleep durations). */
function processesWith(marker: string): string[] {
  const out = Bun.spawnSync(["ps", "-eo", "pid,args"]).stdout.toString();
  return out.split("\n").filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

test("kill -9 of the server ends its silent shell jobs (also setsid and background ones) within seconds", async () => {
  s = await startShellServer();
  const marker = `${300 + Math.floor(Math.random() * 600)}.${Date.now() % 100_000}`;
  // Without the process tag, so that no other porthole's start-up sweep on this machine ends them for us.
  const untagged = "env -u PORTHOLE_PROCESS_TAG";
  const ci = [
    "silent:",
    "  script:",
    `    - ${untagged} setsid sleep ${marker}1 < /dev/null > /dev/null 2>&1 &`,
    `    - ${untagged} nohup sleep ${marker}2 > /dev/null 2>&1 &`,
    "    - echo started",
    `    - ${untagged} sleep ${marker}3`,
    "",
  ].join("\n");
  const job = await s.runPipeline(s.userToken, "silent", ci);
  await s.traceWith(job.projectId, job.jobId, "\nstarted");
  await waitFor("the job's three sleeps", async () => processesWith(marker).length >= 3);

  process.kill(s.server.pid, "SIGKILL");
  const gone = await waitFor(
    "no job process left",
    async () => processesWith(marker).length === 0 && "gone",
    5_000,
  ).catch(() => processesWith(marker).join("\n"));
  expect(gone).toBe("gone");
}, 60_000);
