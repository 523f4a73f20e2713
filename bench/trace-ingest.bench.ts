// Log ingestion with 100 live SSE followers, and job throughput: this tree against a baseline commit, in one run.
//
// The baseline is the commit before durable logs (PORTHOLE_BENCH_BASELINE overrides it): there followers got log
// bytes before they were committed; here only after a group commit (src/logs/trace-store.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SourceTree } from "./lib/baseline.ts";
import { exportCommit } from "./lib/baseline.ts";
import { REPO_ROOT, startBenchServer } from "./lib/server.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";

const BASELINE = process.env.PORTHOLE_BENCH_BASELINE ?? "db7e9b4";
const JOBS = 4;
/** Under the default `limits.output_limit` (4096 KiB) with its newlines: a bigger log would be cut at the limit. */
const MB_PER_JOB = 4;
const FOLLOWERS = 100;
/** 100-byte lines: `MB_PER_JOB` MB of them per job. */
const PRINT = `head -c ${MB_PER_JOB * 1_000_000} /dev/zero | tr '\\\\0' x | fold -w 99`;
const INGEST_CONFIG = Array.from({ length: JOBS }, (_, i) => `print-${i + 1}:\n  script:\n    - "${PRINT}"\n`).join("");
const STORE_MB = 100;
const ECHO_JOBS = 100;
const ECHO_CONFIG = Array.from({ length: 20 }, (_, i) => `echo-${i + 1}:\n  script:\n    - echo ${i + 1}\n`).join("");
/** Alternating rounds per side; the median is reported. */
const ROUNDS = 3;
const FINISHED = new Set(["success", "failed", "canceled", "skipped"]);

interface PipelineJson {
  id: number;
  status: string;
  finished_at: string | null;
}

/** Reads one follower's stream to its `end`; returns the log bytes it was shown (base64 decoded length). */
async function follow(url: string, token: string, path: string): Promise<number> {
  const res = await fetch(`${url}/api/v4${path}`, { headers: { "PRIVATE-TOKEN": token } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  let bytes = 0;
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let at = buffer.indexOf("\n\n"); at >= 0; at = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (block.startsWith("event: end")) return bytes;
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      if (block.startsWith("event: data") && data) bytes += Buffer.from(data.slice(6), "base64").length;
    }
  }
  throw new Error(`${path}: stream closed without end`);
}

/** MB/s of log from pipeline creation until every follower had the whole log and its end. */
async function ingestion(root: string): Promise<number> {
  const server = await startBenchServer(["--runner-concurrent", String(JOBS)], root);
  try {
    const project = await server.api<{ id: number }>("POST", "/projects", { name: "ingest", ci_config: INGEST_CONFIG });
    const started = performance.now();
    const pipeline = await server.api<{ id: number }>("POST", `/projects/${project.id}/pipeline`, { ref: "main" });
    const jobs = await server.api<{ id: number }[]>("GET", `/projects/${project.id}/pipelines/${pipeline.id}/jobs`);
    const shown = await Promise.all(
      Array.from({ length: FOLLOWERS }, (_, i) =>
        follow(server.url, server.token, `/projects/${project.id}/jobs/${jobs[i % JOBS]!.id}/trace/stream`),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const logBytes = shown.slice(0, JOBS).reduce((a, b) => a + b, 0);
    if (logBytes < JOBS * MB_PER_JOB * 1_000_000) throw new Error(`followers were shown only ${logBytes} bytes`);
    return logBytes / 1e6 / seconds;
  } finally {
    await server.stop();
  }
}

/**
 * The trace store alone (in this process, a database file in a temp dir): 20 jobs each append a 4 KB chunk per
 * event-loop turn, 5 followers each; MB/s until every follower got STORE_MB MB in all.
 */
async function storeIngestion(root: string): Promise<number> {
  const { openStore } = await import(join(root, "src/store/db.ts"));
  const { createTraceStore } = await import(join(root, "src/logs/trace-store.ts"));
  const schema = await import(join(root, "src/store/schema.ts"));
  const dir = mkdtempSync(join(tmpdir(), "porthole-bench-store-"));
  const store = openStore(join(dir, "porthole.db"));
  try {
    const project = store.db.insert(schema.projects).values({ name: "p", path: "p", namespace: "n" }).returning().get();
    const pipeline = store.db
      .insert(schema.pipelines)
      .values({ projectId: project.id, iid: 1, ref: "main", sha: "x", source: "api", variables: [], yamlVariables: [] })
      .returning()
      .get();
    const jobIds: number[] = Array.from(
      { length: 20 },
      (_, i) =>
        store.db
          .insert(schema.jobs)
          .values({ pipelineId: pipeline.id, projectId: project.id, name: `j${i}`, stage: "t", stageIdx: 0, spec: {} })
          .returning()
          .get().id,
    );
    const traces = createTraceStore(store.db);
    const chunk = new Uint8Array(4096).fill(120);
    const total = STORE_MB * 1_000_000;
    let shown = 0;
    const allShown = Promise.withResolvers<void>();
    for (const id of jobIds)
      for (let f = 0; f < 5; f++)
        traces.follow(id, 0, true, {
          data: (b: Uint8Array) => {
            shown += b.length;
            if (shown >= total * 5) allShown.resolve();
          },
          end() {},
        });
    const started = performance.now();
    for (let appended = 0; appended < total; ) {
      for (const id of jobIds) traces.append(id, chunk);
      appended += chunk.length * jobIds.length;
      await new Promise((r) => setImmediate(r));
    }
    await allShown.promise;
    const seconds = (performance.now() - started) / 1000;
    for (const id of jobIds) traces.finish(id);
    return STORE_MB / seconds;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Echo jobs per second with runner.concurrent = 4, first create → last pipeline finished. */
async function throughput(root: string): Promise<number> {
  const server = await startBenchServer(["--runner-concurrent", "4"], root);
  try {
    const project = await server.api<{ id: number }>("POST", "/projects", { name: "echo", ci_config: ECHO_CONFIG });
    const started = Date.now();
    const ids: number[] = [];
    for (let i = 0; i < ECHO_JOBS / 20; i++)
      ids.push((await server.api<PipelineJson>("POST", `/projects/${project.id}/pipeline`, { ref: "main" })).id);
    for (;;) {
      const all = await Promise.all(
        ids.map((id) => server.api<PipelineJson>("GET", `/projects/${project.id}/pipelines/${id}`)),
      );
      if (all.every((p) => FINISHED.has(p.status))) {
        if (all.some((p) => p.status !== "success")) throw new Error("an echo pipeline did not succeed");
        return ECHO_JOBS / ((Math.max(...all.map((p) => Date.parse(p.finished_at ?? ""))) - started) / 1000);
      }
      if (Date.now() - started > 5 * 60_000) throw new Error("echo pipelines not finished after 5 min");
      await Bun.sleep(100);
    }
  } finally {
    await server.stop();
  }
}

const bench: Bench = {
  name: "trace-ingest",
  description: `${JOBS} jobs × ${MB_PER_JOB} MB of log with ${FOLLOWERS} live SSE followers, and ${ECHO_JOBS} echo jobs: this tree vs ${BASELINE} (before durable logs)`,
  async run() {
    let baseline: SourceTree | undefined;
    try {
      baseline = exportCommit(BASELINE);
      const metrics: Metric[] = [];
      // Alternating rounds, so that load from other work on the machine falls on both sides alike.
      const figures = {
        before: { store: [] as number[], mb: [] as number[], jobs: [] as number[] },
        after: { store: [] as number[], mb: [] as number[], jobs: [] as number[] },
      };
      for (let i = 0; i < ROUNDS; i++)
        for (const [side, root] of [
          ["before", baseline.root],
          ["after", REPO_ROOT],
        ] as const) {
          figures[side].store.push(await storeIngestion(root));
          figures[side].mb.push(await ingestion(root));
          figures[side].jobs.push(await throughput(root));
        }
      const mid = (xs: number[]) => round(median(xs));
      for (const side of ["before", "after"] as const) {
        metrics.push({
          name: `trace store alone, 100 followers, ${side}`,
          value: mid(figures[side].store),
          unit: "MB/s",
        });
        metrics.push({
          name: `log ingestion, ${FOLLOWERS} followers, ${side}`,
          value: mid(figures[side].mb),
          unit: "MB/s",
        });
        metrics.push({ name: `echo jobs per second, ${side}`, value: mid(figures[side].jobs), unit: "jobs/s" });
      }
      return {
        metrics,
        notes: [
          `before = ${BASELINE} (bytes shown before they were committed, 50 ms flush timer), after = this tree (group commit within 5 ms, shown after the commit)`,
          `median of ${ROUNDS} alternating rounds per side; MB/s counts log bytes from pipeline creation until all ${FOLLOWERS} followers had the end event`,
          `all rounds: ${JSON.stringify(figures)}`,
        ],
      };
    } finally {
      baseline?.remove();
    }
  },
};

export default bench;
