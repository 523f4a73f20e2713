// No request waits behind a compile that includes another project: GET /api/v4/version while 4 clients create
// pipelines from a 15,000-template file with an `include:project`, this tree and a baseline, and as a control this
// tree with the same file without the include (which compiled on the pool before too). The baselines
// (PORTHOLE_BENCH_INCLUDE_BASELINES, comma-separated, overrides them): e7cf30a, where such files compiled on the event
// loop, and 7f6809d, where they compiled on the pool with the main thread answering synchronously (git spawnSync) and
// compiling again after each round of fetches.
import { rmSync } from "node:fs";
import { makeRepo } from "../test/support/git-repo.ts";
import { exportCommit, type SourceTree } from "./lib/baseline.ts";
import { watchLoad } from "./lib/load.ts";
import { type BenchServer, startBenchServer } from "./lib/server.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";
import { sampleVersion } from "./lib/version-latency.ts";

const CREATORS = 4;
const TEMPLATES = 15_000;
const WINDOW_MS = 12_000;
const BASELINES = (process.env.PORTHOLE_BENCH_INCLUDE_BASELINES ?? "e7cf30a,7f6809d").split(",").filter(Boolean);

/**
 * The pipeline's CI file: another project's jobs, then 15,000 hidden templates (parsed and checked, never run) and
 * three manual jobs extending them, so every creation compiles the whole file and stores three jobs.
 */
function largeFile(library: string | null): string {
  const include = library ? ["include:", `  - {project: ${library}, ref: main, file: lib.yml}`] : [];
  const lines = [...include, "stages: [build, test, deploy]"];
  for (let i = 0; i < TEMPLATES; i++) {
    lines.push(`.template-${i}:`, `  stage: ${["build", "test", "deploy"][i % 3]}`, `  script: [make t-${i}]`);
  }
  for (const i of [0, 1, 2]) lines.push(`job-${i}:`, `  extends: .template-${i}`, "  when: manual");
  return `${lines.join("\n")}\n`;
}

/** /version latencies (ms) sampled for WINDOW_MS while CREATORS clients create pipelines in a loop; creations done. */
async function underCreate(server: BenchServer, dirs: string[], include: boolean) {
  const lib = makeRepo({ "lib.yml": "from-library:\n  stage: test\n  script: [echo lib]\n  when: manual\n" });
  dirs.push(lib.dir);
  const library = await server.api<{ id: number; path_with_namespace: string }>("POST", "/projects", {
    name: `lib-${Date.now()}`,
    import_url: lib.dir,
  });
  const file = largeFile(include ? library.path_with_namespace : null);
  const app = makeRepo({ ".gitlab-ci.yml": file });
  dirs.push(app.dir);
  const project = await server.api<{ id: number }>("POST", "/projects", {
    name: `app-${Date.now()}`,
    import_url: app.dir,
  });
  // One creation first: the file compiles, with the library's job (a wrong setup fails here, not in the figures).
  const first = await server.api<{ id: number }>("POST", `/projects/${project.id}/pipeline`, { ref: "main" });
  const jobs = await server.api<{ name: string }[]>("GET", `/projects/${project.id}/pipelines/${first.id}/jobs`);
  if (jobs.some((j) => j.name === "from-library") !== include) throw new Error("the included project's job is wrong");
  let running = true;
  const creates: number[] = [];
  const creators = Array.from({ length: CREATORS }, async () => {
    while (running) {
      const started = performance.now();
      await server.api("POST", `/projects/${project.id}/pipeline`, { ref: "main" });
      creates.push(performance.now() - started);
    }
  });
  await Bun.sleep(500);
  const version = await sampleVersion(server, WINDOW_MS, 20);
  running = false;
  await Promise.all(creators);
  return { version, creates, bytes: Buffer.byteLength(file) };
}

async function measureServer(
  label: string,
  root: string | undefined,
  include = true,
): Promise<{ metrics: Metric[]; bytes: number }> {
  const server = await startBenchServer([], root);
  const dirs: string[] = [];
  try {
    const { version, creates, bytes } = await underCreate(server, dirs, include);
    const metrics: Metric[] = [
      { name: `${label}: GET /version p50 under 4 creations`, value: round(median(version), 1), unit: "ms" },
      {
        name: `${label}: GET /version p99 under 4 creations`,
        value: round(percentile(version, 99), 1),
        unit: "ms",
        ...(root || !include ? {} : { target: { below: 20 } }),
      },
      { name: `${label}: GET /version max under 4 creations`, value: round(Math.max(...version), 1), unit: "ms" },
      { name: `${label}: GET /version samples`, value: version.length, unit: "requests" },
      { name: `${label}: pipeline creation, median`, value: round(median(creates), 0), unit: "ms" },
      { name: `${label}: pipelines created`, value: creates.length, unit: "pipelines" },
    ];
    return { metrics, bytes };
  } finally {
    await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = {
  name: "include-project",
  description: `GET /api/v4/version while ${CREATORS} clients create pipelines from a ${TEMPLATES}-template file with an include:project (${WINDOW_MS / 1000} s), this tree vs ${BASELINES.join(", ")}`,
  async run() {
    const load = watchLoad();
    const pooled = await measureServer("pool", undefined);
    const metrics = [...pooled.metrics, ...(await measureServer("control, no include", undefined, false)).metrics];
    for (const commit of BASELINES) {
      let baseline: SourceTree | undefined;
      try {
        baseline = exportCommit(commit);
        metrics.push(...(await measureServer(`baseline ${commit}`, baseline.root)).metrics);
      } finally {
        baseline?.remove();
      }
    }
    return {
      metrics,
      notes: [
        `the CI file is ${round(pooled.bytes / 1024, 0)} KB; each creation fetches both mirrors (local paths) and stores 4 manual jobs`,
        "control: this tree, the same file without the include (one mirror fetched, 3 jobs stored)",
        "client, server and the pool's two workers share the machine's 2 cores",
        load.note(),
      ],
    };
  },
};

export default bench;
