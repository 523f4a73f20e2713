// A remote job outlives a crash of the server: its lease is in the database, so after `kill -9` and a restart the
// runner goes on sending its log and finishes the job, while a job whose runner stays silent still fails in time.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitlabRunnerCalls, traceChecksum } from "../support/gitlab-runner-calls.ts";
import { type ServedPorthole, startServed } from "../support/served-porthole.ts";
import { waitFor } from "../support/wait.ts";

const dataDir = mkdtempSync(join(tmpdir(), "porthole-runner-restart-"));
const FLAGS = ["--runner-enabled", "false", "--runner-api-long-poll-timeout", "1", "--runner-api-lease-timeout", "3"];
let running: ServedPorthole | undefined;

afterAll(async () => {
  await running?.process.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Job = { id: number; token: string };

test("after kill -9 and a restart the runner finishes its job; a silent runner's job still fails", async () => {
  const first = await startServed(dataDir, FLAGS);
  running = first;
  const made = await first.api("/user/runners", { method: "POST", json: { runner_type: "instance_type" } });
  const { token } = (await made.json()) as { token: string };
  const project = (await (
    await first.api("/projects", {
      method: "POST",
      json: { name: "durable", ci_config: "a:\n  script: [echo a]\nb:\n  script: [echo b]\n" },
    })
  ).json()) as { id: number };
  expect((await first.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST" })).status).toBe(201);
  const before = gitlabRunnerCalls({ base: first.url, token });
  const kept = (await (await before.requestJob()).json()) as Job;
  const dropped = (await (await before.requestJob()).json()) as Job;
  for (const j of [kept, dropped]) expect((await before.updateJob(j.id, j.token, "running")).status).toBe(200);
  expect((await before.patchTrace(kept.id, kept.token, 0, "before the crash\n")).status).toBe(202);

  process.kill(first.process.pid, "SIGKILL");
  await first.process.stop();
  const second = await startServed(dataDir, FLAGS);
  running = second;

  const after = gitlabRunnerCalls({ base: second.url, token });
  const resumed = await after.patchTrace(kept.id, kept.token, 17, "after the restart\n");
  expect(resumed.status).toBe(202);
  expect(resumed.headers.get("Job-Status")).toBe("running");
  const log = "before the crash\nafter the restart\n";
  expect((await after.updateJob(kept.id, kept.token, "success", { output: traceChecksum(log) })).status).toBe(200);
  expect(await (await second.api(`/projects/${project.id}/jobs/${kept.id}/trace`)).text()).toBe(log);

  // The other job's runner never calls again: its lease (3 s from the restart) runs out.
  const failed = await waitFor(
    "the silent job to fail",
    async () => {
      const j = (await (await second.api(`/projects/${project.id}/jobs/${dropped.id}`)).json()) as {
        status: string;
        failure_reason?: string;
      };
      return j.status === "failed" ? j : null;
    },
    15_000,
  );
  expect(failed.failure_reason).toBe("runner_system_failure");
}, 90_000);
