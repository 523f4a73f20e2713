// No request waits behind a compile: GET /api/v4/version while 4 clients lint 15,000-job files, this tree and a baseline.
// The baseline is the commit before the compile pool (PORTHOLE_BENCH_BASELINE overrides it), where lint parsed on the
// event loop. An in-process event-loop delay histogram (perf_hooks.monitorEventLoopDelay) shows the same from inside.
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { lintPipeline } from "../src/pipeline/index.ts";
import { CompilePool } from "../src/pipeline/worker/compile-pool.ts";
import { exportCommit, type SourceTree } from "./lib/baseline.ts";
import { watchLoad } from "./lib/load.ts";
import { type BenchServer, startBenchServer } from "./lib/server.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";
import { sampleVersion, timeVersion } from "./lib/version-latency.ts";
import { fiftyJobFile } from "./pipeline-compile.bench.ts";

const LINTERS = 4;
const JOBS = 15_000;
const WINDOW_MS = 12_000;
/** PORTHOLE_BENCH_BASELINE= (empty) measures this tree alone. */
const BASELINE = process.env.PORTHOLE_BENCH_BASELINE ?? "65b6ef8";

/** 15,000 jobs, ~600 KB: what the report linted. */
function hugeFile(): string {
  const lines: string[] = ["stages: [build, test, deploy]"];
  for (let i = 0; i < JOBS; i++) {
    lines.push(`job-${i}:`, `  stage: ${["build", "test", "deploy"][i % 3]}`, `  script: [make t-${i}]`);
  }
  return `${lines.join("\n")}\n`;
}

/** Peak resident memory of a process so far, from /proc (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = Bun.spawnSync(["cat", `/proc/${pid}/status`]).stdout.toString();
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024, 0);
}

/** A thread's time on a CPU and waiting in the run queue for one, in ms, from /proc (schedstat, in ns). */
function schedMs(pid: number, tid = pid): { run: number; wait: number } {
  const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
  return { run: (run ?? 0) / 1e6, wait: (wait ?? 0) / 1e6 };
}

/**
 * /version latencies (ms) sampled for WINDOW_MS while LINTERS clients lint `file` in a loop; lints done; and per second
 * of the window, the ms the server's main thread ran and the ms it was ready to run but waited for a CPU.
 */
async function underLint(server: BenchServer, file: string) {
  const project = await server.api<{ id: number }>("POST", "/projects", { name: `el-${Date.now()}` });
  const headers = { "PRIVATE-TOKEN": server.token, "Content-Type": "application/json" };
  const body = JSON.stringify({ content: file });
  let running = true;
  let lints = 0;
  const linters = Array.from({ length: LINTERS }, async () => {
    while (running) {
      const res = await fetch(`${server.url}/api/v4/projects/${project.id}/ci/lint`, { method: "POST", headers, body });
      await res.arrayBuffer();
      lints++;
    }
  });
  await Bun.sleep(500);
  const before = schedMs(server.pid);
  const started = performance.now();
  const version = await sampleVersion(server, WINDOW_MS, 20);
  const seconds = (performance.now() - started) / 1000;
  const after = schedMs(server.pid);
  running = false;
  await Promise.all(linters);
  return { version, lints, run: (after.run - before.run) / seconds, wait: (after.wait - before.wait) / seconds };
}

/**
 * The server's own event-loop delay since its previous /-/metrics scrape, in ms (p99 and max), from
 * porthole_event_loop_delay_seconds; null where the server has no such gauge (a baseline before it).
 */
async function serverLoopDelay(server: BenchServer): Promise<{ p99: number; max: number } | null> {
  const text = await (await fetch(`${server.url}/-/metrics`)).text();
  const quantile = (q: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`porthole_event_loop_delay_seconds{quantile="${q}"}`));
    return line === undefined ? null : Number(line.split(" ").at(-1)) * 1000;
  };
  const [p99, max] = [quantile("0.99"), quantile("1")];
  return p99 === null || max === null ? null : { p99, max };
}

/**
 * /version latencies (ms) while pipelines of the largest allowed size (1000 manual jobs) are created in turn, and the
 * server's event-loop delay over the creations after the first two (the ones timed).
 */
async function underCreate(
  server: BenchServer,
): Promise<{ version: number[]; creates: number[]; loop: { p99: number; max: number } | null }> {
  const jobs = Array.from(
    { length: 1000 },
    (_, i) => `job-${i}:\n  stage: ${i % 2 ? "two" : "one"}\n  script: [echo]\n  when: manual\n`,
  );
  const project = await server.api<{ id: number }>("POST", "/projects", {
    name: `create-${Date.now()}`,
    ci_config: `stages: [one, two]\n${jobs.join("")}`,
  });
  let running = true;
  const version: number[] = [];
  const sampler = (async () => {
    while (running) {
      version.push(await timeVersion(server));
      await Bun.sleep(5);
    }
  })();
  const creates: number[] = [];
  for (let i = 0; i < 12; i++) {
    if (i === 2) await serverLoopDelay(server); // starts the server's histogram over
    const started = performance.now();
    await server.api("POST", `/projects/${project.id}/pipeline`, { ref: "main" });
    if (i >= 2) creates.push(performance.now() - started);
    await Bun.sleep(200);
  }
  const loop = await serverLoopDelay(server);
  running = false;
  await sampler;
  return { version, creates, loop };
}

async function measureServer(label: string, root: string | undefined, file: string): Promise<Metric[]> {
  const server = await startBenchServer([], root);
  try {
    const created = await underCreate(server);
    const { version, lints, run, wait } = await underLint(server, file);
    return [
      { name: `${label}: create a 1000-job pipeline, median`, value: round(median(created.creates), 1), unit: "ms" },
      {
        name: `${label}: GET /version max while 1000-job pipelines are created`,
        value: round(Math.max(...created.version), 1),
        unit: "ms",
      },
      {
        name: `${label}: GET /version p99 while 1000-job pipelines are created`,
        value: round(percentile(created.version, 99), 1),
        unit: "ms",
      },
      ...(created.loop
        ? [
            {
              name: `${label}: server event-loop delay max while 1000-job pipelines are created`,
              value: round(created.loop.max, 1),
              unit: "ms",
              target: { below: 20 },
            },
            {
              name: `${label}: server event-loop delay p99 while 1000-job pipelines are created`,
              value: round(created.loop.p99, 1),
              unit: "ms",
            },
          ]
        : []),
      { name: `${label}: GET /version p50 under 4 lints`, value: round(median(version), 1), unit: "ms" },
      {
        name: `${label}: GET /version p99 under 4 lints`,
        value: round(percentile(version, 99), 1),
        unit: "ms",
        ...(root ? {} : { target: { below: 20 } }),
      },
      { name: `${label}: GET /version max under 4 lints`, value: round(Math.max(...version), 1), unit: "ms" },
      { name: `${label}: lints of the 15,000-job file done`, value: lints, unit: "lints" },
      { name: `${label}: server main thread on a CPU, per second of the window`, value: round(run, 0), unit: "ms" },
      {
        name: `${label}: server main thread ready but waiting for a CPU, per second`,
        value: round(wait, 0),
        unit: "ms",
      },
      { name: `${label}: server peak RSS`, value: peakRssMb(server.pid), unit: "MB" },
    ];
  } finally {
    await server.stop();
  }
}

/** Event-loop delay of this process while `work` runs, from perf_hooks' histogram (ns → ms). */
async function loopDelay(work: () => Promise<unknown>): Promise<{ p50: number; p99: number; max: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await work();
  histogram.disable();
  const ms = (ns: number) => round(ns / 1e6, 1);
  return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
}

async function inProcess(file: string): Promise<Metric[]> {
  const pool = new CompilePool();
  try {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 50));
    const direct = await loopDelay(async () => {
      for (let i = 0; i < LINTERS; i++) {
        lintPipeline(file, null);
        await tick();
      }
    });
    // The machine's own noise: the same histogram while this process does nothing at all.
    const idle = await loopDelay(() => Bun.sleep(8_000));
    const pooled = await loopDelay(() => Promise.all(Array.from({ length: LINTERS }, () => pool.lint(file, null))));
    const fifty = fiftyJobFile();
    for (let i = 0; i < 20; i++) await pool.lint(fifty, null);
    const roundTrips: number[] = [];
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      await pool.lint(fifty, null);
      roundTrips.push(performance.now() - started);
    }
    return [
      { name: "event-loop delay max, 4 lints on the event loop", value: direct.max, unit: "ms" },
      { name: "event-loop delay max, idle process (machine noise)", value: idle.max, unit: "ms" },
      { name: "event-loop delay p99, idle process (machine noise)", value: idle.p99, unit: "ms" },
      { name: "event-loop delay p99, 4 lints in the pool", value: pooled.p99, unit: "ms" },
      { name: "event-loop delay max, 4 lints in the pool", value: pooled.max, unit: "ms", target: { below: 20 } },
      {
        name: "50-job file, lint through the pool (round trip), median",
        value: round(median(roundTrips), 2),
        unit: "ms",
      },
    ];
  } finally {
    pool.close();
  }
}

const bench: Bench = {
  name: "event-loop",
  description: `GET /api/v4/version while ${LINTERS} clients lint a ${JOBS}-job file in a loop (${WINDOW_MS / 1000} s), this tree vs ${BASELINE}`,
  async run() {
    const load = watchLoad();
    const file = hugeFile();
    const metrics = await inProcess(file);
    metrics.push(...(await measureServer("pool", undefined, file)));
    let baseline: SourceTree | undefined;
    try {
      if (BASELINE === "") return { metrics, notes: [...notes(file), load.note()] };
      baseline = exportCommit(BASELINE);
      metrics.push(...(await measureServer("baseline", baseline.root, file)));
    } finally {
      baseline?.remove();
    }
    return { metrics, notes: [...notes(file), load.note()] };
  },
};

function notes(file: string): string[] {
  return [
    `the lint file is ${round(Buffer.byteLength(file) / 1024, 0)} KB; the job limit (1000) refuses it after parsing`,
    "client, server and the pool's two workers share the machine's 2 cores",
    "event-loop delay: perf_hooks.monitorEventLoopDelay (5 ms resolution) in the bench process itself; 'server event-loop delay' is the same histogram inside the server (porthole_event_loop_delay_seconds of /-/metrics, started over before the 10 timed creations, read after them)",
    "main thread on a CPU / waiting for one: /proc/<pid>/task/<pid>/schedstat over the /version window",
  ];
}

export default bench;
