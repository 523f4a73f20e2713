// Throughput: trivial echo jobs per second with runner.concurrent = 4 (10 pipelines × 20 jobs, shell executor).
import { jobsPerSecond } from "./lib/jobs-per-second.ts";
import { startBenchServer } from "./lib/server.ts";
import { round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const PIPELINES = 10;
const JOBS_PER_PIPELINE = 20;
const CONCURRENT = 4;
const CI_CONFIG = Array.from(
  { length: JOBS_PER_PIPELINE },
  (_, i) => `job-${i + 1}:\n  script:\n    - echo ${i + 1}\n`,
).join("");

const bench: Bench = {
  name: "throughput",
  description: `${PIPELINES} pipelines × ${JOBS_PER_PIPELINE} echo jobs, runner.concurrent = ${CONCURRENT}: first create → last job finished`,
  async run() {
    const server = await startBenchServer(["--runner-concurrent", String(CONCURRENT)]);
    try {
      const project = await server.api<{ id: number }>("POST", "/projects", {
        name: "throughput",
        ci_config: CI_CONFIG,
      });
      const { jobsPerSecond: rate, seconds } = await jobsPerSecond(server, project.id, PIPELINES, JOBS_PER_PIPELINE);
      const jobs = PIPELINES * JOBS_PER_PIPELINE;
      return {
        metrics: [
          { name: "jobs per second", value: round(rate), unit: "jobs/s", target: { above: 50 } },
          { name: `wall time for ${jobs} jobs`, value: round(seconds, 2), unit: "s" },
        ],
        notes: ["end time is the last pipeline's finished_at (server clock, same machine)"],
      };
    } finally {
      await server.stop();
    }
  },
};

export default bench;
