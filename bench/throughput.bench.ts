// Throughput: trivial echo jobs per second with runner.concurrent = 4 (10 pipelines × 20 jobs, shell executor).
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
const FINISHED = new Set(["success", "failed", "canceled", "skipped"]);

interface PipelineJson {
  id: number;
  status: string;
  finished_at: string | null;
}

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
      const started = Date.now();
      const ids: number[] = [];
      for (let i = 0; i < PIPELINES; i++)
        ids.push((await server.api<PipelineJson>("POST", `/projects/${project.id}/pipeline`, { ref: "main" })).id);
      let pipelines: PipelineJson[] = [];
      const deadline = started + 10 * 60_000;
      while (pipelines.length < PIPELINES || !pipelines.every((p) => FINISHED.has(p.status))) {
        if (Date.now() > deadline)
          throw new Error(`not finished after 10 min: ${JSON.stringify(pipelines.map((p) => p.status))}`);
        await Bun.sleep(100);
        pipelines = await Promise.all(
          ids.map((id) => server.api<PipelineJson>("GET", `/projects/${project.id}/pipelines/${id}`)),
        );
      }
      const failed = pipelines.filter((p) => p.status !== "success");
      if (failed.length > 0)
        throw new Error(`pipelines not successful: ${failed.map((p) => `${p.id} ${p.status}`).join(", ")}`);
      const lastFinished = Math.max(...pipelines.map((p) => Date.parse(p.finished_at ?? "")));
      const seconds = (lastFinished - started) / 1000;
      const jobs = PIPELINES * JOBS_PER_PIPELINE;
      return {
        metrics: [
          { name: "jobs per second", value: round(jobs / seconds), unit: "jobs/s", target: { above: 50 } },
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
