// Pipeline latency: from POST /projects/:id/pipeline to the first byte of the job's log on the live SSE stream.

import { firstTraceByteMs } from "./lib/first-trace-byte.ts";
import { type BenchServer, startBenchServer } from "./lib/server.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const RUNS = 100;
const WARMUP = 3;
const CI_CONFIG = "first-byte:\n  script:\n    - echo hello\n";

/** One run: ms until the first log event; then reads the stream to its end so runs never overlap. */
async function oneRun(server: BenchServer, projectId: number): Promise<number> {
  const started = performance.now();
  const pipeline = await server.api<{ id: number }>("POST", `/projects/${projectId}/pipeline`, { ref: "main" });
  return firstTraceByteMs(server, projectId, pipeline.id, started);
}

const bench: Bench = {
  name: "pipeline-latency",
  description: `POST a one-job pipeline → first log byte on the SSE stream (shell executor, ${RUNS} runs, one at a time)`,
  async run() {
    const server = await startBenchServer();
    try {
      const project = await server.api<{ id: number }>("POST", "/projects", { name: "latency", ci_config: CI_CONFIG });
      for (let i = 0; i < WARMUP; i++) await oneRun(server, project.id);
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await oneRun(server, project.id));
      return {
        metrics: [
          {
            name: "create → first trace byte, median",
            value: round(median(samples)),
            unit: "ms",
            target: { below: 50 },
          },
          { name: "create → first trace byte, p95", value: round(percentile(samples, 95)), unit: "ms" },
          { name: "create → first trace byte, max", value: round(Math.max(...samples)), unit: "ms" },
        ],
        notes: [
          `includes the POST, listing the pipeline's jobs and opening the stream; ${WARMUP} warm-up runs not counted`,
        ],
      };
    } finally {
      await server.stop();
    }
  },
};

export default bench;
