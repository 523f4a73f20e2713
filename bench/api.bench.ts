// REST API cost per request: token auth + permission check + query + GitLab JSON, against `porthole serve`.
import { type BenchServer, startBenchServer } from "./lib/server.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const SEQUENTIAL = 400;
const CONCURRENCY = 8;
const CONCURRENT_TOTAL = 2000;
const JOBS = 40;
const CI = Array.from({ length: JOBS }, (_, i) => `job-${i}:\n  script: [echo ${i}]\n`).join("");

async function timed(server: BenchServer, path: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/v4${path}`, { headers: { "PRIVATE-TOKEN": server.token } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  await res.arrayBuffer();
  return performance.now() - started;
}

async function sequential(server: BenchServer, path: string): Promise<number[]> {
  for (let i = 0; i < 20; i++) await timed(server, path);
  const samples: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) samples.push(await timed(server, path));
  return samples;
}

const bench: Bench = {
  name: "api",
  description: `GET latency (${SEQUENTIAL} sequential requests each) and throughput (${CONCURRENCY} concurrent clients) of /api/v4`,
  async run() {
    const server = await startBenchServer(["--runner-concurrent", "4"]);
    try {
      const project = await server.api<{ id: number }>("POST", "/projects", { name: "api-bench", ci_config: CI });
      const pipeline = await server.api<{ id: number }>("POST", `/projects/${project.id}/pipeline`, { ref: "main" });
      for (let tries = 0; tries < 600; tries++) {
        const p = await server.api<{ status: string }>("GET", `/projects/${project.id}/pipelines/${pipeline.id}`);
        if (p.status === "success") break;
        await Bun.sleep(100);
      }
      const user = await sequential(server, "/user");
      const one = await sequential(server, `/projects/${project.id}`);
      const list = await sequential(server, `/projects/${project.id}/jobs?per_page=${JOBS}`);
      const started = performance.now();
      let sent = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (sent < CONCURRENT_TOTAL) {
            sent++;
            await timed(server, `/projects/${project.id}/pipelines/${pipeline.id}`);
          }
        }),
      );
      const perSecond = CONCURRENT_TOTAL / ((performance.now() - started) / 1000);
      return {
        metrics: [
          { name: "GET /user, median", value: round(median(user), 2), unit: "ms", target: { below: 5 } },
          { name: "GET /projects/:id, median", value: round(median(one), 2), unit: "ms", target: { below: 5 } },
          { name: "GET /projects/:id, p95", value: round(percentile(one, 95), 2), unit: "ms" },
          {
            name: `GET /projects/:id/jobs (${JOBS} jobs), median`,
            value: round(median(list), 2),
            unit: "ms",
            target: { below: 20 },
          },
          { name: `GET /projects/:id/jobs (${JOBS} jobs), p95`, value: round(percentile(list, 95), 2), unit: "ms" },
          {
            name: `GET pipeline, ${CONCURRENCY} concurrent clients`,
            value: Math.round(perSecond),
            unit: "req/s",
            target: { above: 500 },
          },
        ],
        notes: [
          "every request authenticates a personal access token (SHA-256 lookup) and checks project permissions",
          "client and server share the machine's 2 cores; latencies include the loopback round trip",
        ],
      };
    } finally {
      await server.stop();
    }
  },
};

export default bench;
