// The Prometheus metrics of /-/metrics (prom-client): jobs, queue wait, durations, terminals, logs, HTTP, process.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { QueueEvents } from "../../queue/types.ts";
import { databaseBytes } from "../../store/database-file.ts";
import type { Store } from "../../store/db.ts";
import type { AppDeps } from "../env.ts";
import { freeBytes } from "./disk.ts";
import { eventLoopDelayGauge } from "./loop-delay.ts";

/** What the terminal layer reports (TerminalSessions.stats). */
export interface TerminalStats {
  terminals: number;
  viewers: number;
  bytesRelayed: number;
}

export interface MetricSources {
  store: Store;
  events: QueueEvents;
  dataDir: string;
  /** Bytes appended to job logs since the start (TraceStore.ingestedBytes). */
  traceBytes(): number;
  terminals?: () => TerminalStats;
}

export interface OpsMetrics {
  registry: Registry;
  /** One answered HTTP request: its route pattern (not the path, to keep the label set small). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Stops the event-loop delay histogram and the job listener. */
  stop(): void;
}

const FINISHED = new Set(["success", "failed", "canceled", "skipped"]);

/** Bytes of every file under `dir` (recordings), 0 when it does not exist. */
function treeBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** The sources an app's deps give (no terminal figures: boot adds those). */
export function metricSources(deps: AppDeps): MetricSources {
  return {
    store: deps.store,
    events: deps.events,
    dataDir: resolve(deps.config.data_dir),
    traceBytes: () => deps.traces.ingestedBytes(),
  };
}

export function createOpsMetrics(sources: MetricSources): OpsMetrics {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, collect: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(collect());
      },
    });

  new Gauge({
    name: "porthole_jobs",
    help: "Jobs by status",
    labelNames: ["status"],
    registers,
    collect() {
      this.reset();
      for (const { status, n } of sources.store.repos.jobs.countByStatus()) this.set({ status }, n);
    },
  });
  new Counter({
    name: "porthole_pipelines_created_total",
    help: "Pipelines created since the database was made",
    registers,
    collect() {
      this.reset();
      this.inc(sources.store.repos.pipelines.createdCount());
    },
  });
  const queueWait = new Histogram({
    name: "porthole_job_queue_wait_seconds",
    help: "Time from a job being queued to a runner starting it",
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers,
  });
  const jobDuration = new Histogram({
    name: "porthole_job_duration_seconds",
    help: "Time from a job starting to finishing, by final status",
    labelNames: ["status"],
    buckets: [1, 5, 15, 60, 300, 900, 3600, 14400],
    registers,
  });
  const terminals = () => sources.terminals?.() ?? { terminals: 0, viewers: 0, bytesRelayed: 0 };
  gauge("porthole_terminals_open", "Terminal sessions with a running shell", () => terminals().terminals);
  gauge("porthole_terminal_viewers", "Connections attached to terminal sessions", () => terminals().viewers);
  new Counter({
    name: "porthole_terminal_relayed_bytes_total",
    help: "Terminal output bytes sent to connections",
    registers,
    collect() {
      this.reset();
      this.inc(terminals().bytesRelayed);
    },
  });
  gauge("porthole_recordings_bytes", "Bytes of terminal recordings on disk", () =>
    treeBytes(join(sources.dataDir, "recordings")),
  );
  new Counter({
    name: "porthole_trace_ingested_bytes_total",
    help: "Job log bytes appended since the server started",
    registers,
    collect() {
      this.reset();
      this.inc(sources.traceBytes());
    },
  });
  const requests = new Counter({
    name: "porthole_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers,
  });
  const latency = new Histogram({
    name: "porthole_http_request_duration_seconds",
    help: "HTTP request latency by method and route",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers,
  });
  gauge("porthole_database_bytes", "Bytes of the SQLite database and its write-ahead log", () =>
    databaseBytes(sources.store),
  );
  gauge("porthole_data_dir_free_bytes", "Free bytes on the file system holding data_dir", () =>
    freeBytes(sources.dataDir),
  );
  gauge("process_resident_memory_bytes", "Resident memory of the server process", () => process.memoryUsage().rss);
  const loopDelay = eventLoopDelayGauge(registers);

  /** Jobs seen queued or running, so that each one's wait and duration are observed once. */
  const active = new Map<number, "queued" | "running">();
  const unsubscribe = sources.events.onJob((job) => {
    const seen = active.get(job.id);
    if (job.status === "running" && seen !== "running") {
      active.set(job.id, "running");
      if (job.queuedAt && job.startedAt) queueWait.observe((+job.startedAt - +job.queuedAt) / 1000);
    } else if (job.status === "pending" && !seen) active.set(job.id, "queued");
    else if (FINISHED.has(job.status) && seen) {
      active.delete(job.id);
      if (seen === "running" && job.startedAt && job.finishedAt)
        jobDuration.observe({ status: job.status }, (+job.finishedAt - +job.startedAt) / 1000);
    }
  });

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    stop() {
      loopDelay.stop();
      unsubscribe();
    },
  };
}
