// The embedded runner with the shell executor: job hand-out to first log byte, and trivial jobs per second.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createShellExecutorProvider } from "../src/executor/shell/index.ts";
import { createMemoryCoordinator, makeJob } from "../src/runner/runner.testing.ts";
import { createRunner, noTerminalBroker } from "../src/runner/runner.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const LATENCY_JOBS = 50;
const THROUGHPUT_JOBS = 200;
const CONCURRENT = 4;

async function withRunner<T>(concurrent: number, body: (c: ReturnType<typeof createMemoryCoordinator>) => Promise<T>) {
  const dir = await mkdtemp(join(tmpdir(), "porthole-bench-runner-"));
  const coordinator = createMemoryCoordinator();
  const runner = createRunner({
    coordinator,
    executors: createShellExecutorProvider(),
    broker: noTerminalBroker,
    info: { id: 1, name: "bench", tags: [], runUntagged: true },
    buildsDir: dir,
    concurrent,
    version: "bench",
  });
  runner.start();
  try {
    return await body(coordinator);
  } finally {
    await runner.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const bench: Bench = {
  name: "runner",
  description: `shell executor, in-memory coordinator: requestJob → first appended byte (${LATENCY_JOBS} jobs, one at a time); trivial jobs/s with concurrent=${CONCURRENT}`,
  async run() {
    const firstByte = await withRunner(1, async (coordinator) => {
      const samples: number[] = [];
      for (let id = 1; id <= LATENCY_JOBS; id++) {
        coordinator.enqueue(makeJob(id, { script: ["true"] }));
        await coordinator.result(id);
        const t = coordinator.timings.get(id)!;
        samples.push(t.firstByte! - t.handedOut);
      }
      return samples;
    });
    const { seconds, perJob } = await withRunner(CONCURRENT, async (coordinator) => {
      const started = performance.now();
      for (let id = 1; id <= THROUGHPUT_JOBS; id++) coordinator.enqueue(makeJob(id, { script: ["true"] }));
      const results = await Promise.all(Array.from({ length: THROUGHPUT_JOBS }, (_, i) => coordinator.result(i + 1)));
      if (results.some((r) => r.status !== "success")) throw new Error("a trivial job did not succeed");
      const elapsed = (performance.now() - started) / 1000;
      return { seconds: elapsed, perJob: (elapsed * 1000 * CONCURRENT) / THROUGHPUT_JOBS };
    });
    return {
      metrics: [
        {
          name: "requestJob → first byte, median",
          value: round(median(firstByte), 2),
          unit: "ms",
          target: { below: 50 },
        },
        { name: "requestJob → first byte, p95", value: round(percentile(firstByte, 95), 2), unit: "ms" },
        {
          name: `trivial jobs/s, concurrent=${CONCURRENT}`,
          value: round(THROUGHPUT_JOBS / seconds, 1),
          unit: "jobs/s",
        },
        { name: "wall time per job per slot", value: round(perJob, 1), unit: "ms" },
      ],
      notes: [
        "A trivial job: `script: [true]`, no repository, no after_script; every job runs the five sections, one bash step, and scans /proc twice (step end, cleanup).",
      ],
    };
  },
};

export default bench;
