// Cancel latency: from POST …/jobs/:id/cancel to the moment no process of the job is left (shell executor),
// for a job whose tree includes a process that ignores SIGTERM. The tests check that the tree goes, this the speed.

import { startTestPorthole, type TestPorthole } from "../test/support/porthole.ts";
import { jobProcesses } from "../test/support/processes.ts";
import { waitFor } from "../test/support/wait.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const RUNS = 10;
const CI = `sleeper:\n  script:\n    - sh -c 'trap "" TERM; sleep 1001' &\n    - sleep 1000 | cat\n`;

async function json<T>(res: Promise<Response>): Promise<T> {
  const r = await res;
  if (!r.ok) throw new Error(`${r.url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** One run: ms from the cancel request until the job has no process left. */
async function oneRun(t: TestPorthole, projectId: number): Promise<number> {
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } }),
  );
  const [job] = await json<{ id: number }[]>(t.api(`/projects/${projectId}/pipelines/${pipeline.id}/jobs`));
  await waitFor("the job's sleeps", async () => {
    const args = jobProcesses(job!.id).map((p) => p.args);
    return args.includes("sleep 1000") && args.includes("sleep 1001");
  });
  const started = performance.now();
  await json(t.api(`/projects/${projectId}/jobs/${job!.id}/cancel`, { method: "POST" }));
  for (;;) {
    if (jobProcesses(job!.id).length === 0) return performance.now() - started;
    if (performance.now() - started > 30_000) throw new Error(`job ${job!.id}: processes left 30 s after cancel`);
    await Bun.sleep(10);
  }
}

const bench: Bench = {
  name: "cancel",
  description: `POST cancel → no process of the job left, shell executor, a SIGTERM-ignoring child (${RUNS} runs)`,
  async run() {
    const t = await startTestPorthole();
    try {
      const project = await json<{ id: number }>(
        t.api("/projects", { method: "POST", json: { name: "cancel", ci_config: CI } }),
      );
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await oneRun(t, project.id));
      return {
        metrics: [
          {
            name: "cancel → no process left, median",
            value: round(median(samples)),
            unit: "ms",
            target: { below: 2000 },
          },
          {
            name: "cancel → no process left, slowest",
            value: round(Math.max(...samples)),
            unit: "ms",
            target: { below: 2000 },
          },
        ],
        notes: [
          "Processes are this server's job processes (PORTHOLE_PROCESS_TAG with this process's pid and CI_JOB_ID), polled every 10 ms.",
          "test/integration/cancel-timeout.test.ts and the executor conformance suite check that the whole tree goes.",
        ],
      };
    } finally {
      await t.stop();
    }
  },
};

export default bench;
