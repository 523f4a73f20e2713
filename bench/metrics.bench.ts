// prom-client under Bun: what one request's metrics cost, and a /-/metrics scrape once the HTTP series are filled.
import { Counter, Histogram, Registry } from "prom-client";
import { startTestPorthole } from "../test/support/porthole.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const OBSERVATIONS = 200_000;
const ROUTES = 50;
const REQUESTS = 5_000;
const SCRAPES = 200;

/** ns per request of what src/http/ops/metrics.ts does per request: a labelled counter inc and histogram observe. */
function perRequestNs(): number {
  const registry = new Registry();
  const requests = new Counter({
    name: "r_total",
    help: "r",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "r_seconds",
    help: "r",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const started = Bun.nanoseconds();
  for (let i = 0; i < OBSERVATIONS; i++) {
    const route = `/api/v4/route/${i % ROUTES}`;
    requests.inc({ method: "GET", route, status: "200" });
    latency.observe({ method: "GET", route }, (i % 100) / 1000);
  }
  return (Bun.nanoseconds() - started) / OBSERVATIONS;
}

const bench: Bench = {
  name: "metrics",
  description: `prom-client's cost under Bun: one request's counter and histogram, and GET /-/metrics after ${REQUESTS} API requests`,
  async run() {
    const ns = [perRequestNs(), perRequestNs(), perRequestNs()];
    const t = await startTestPorthole({ runner: { enabled: false } });
    try {
      const paths = ["/version", "/projects", "/user", "/runners", "/projects/1/pipelines"];
      for (let i = 0; i < REQUESTS; i++) await (await t.api(paths[i % paths.length]!)).arrayBuffer();
      const scrapes: number[] = [];
      let bytes = 0;
      for (let i = 0; i < SCRAPES; i++) {
        const at = performance.now();
        const res = await fetch(`${t.url}/-/metrics`);
        const text = await res.text();
        scrapes.push(performance.now() - at);
        if (res.status !== 200 || !text.includes("porthole_http_requests_total"))
          throw new Error(`/-/metrics answered ${res.status}: ${text.slice(0, 200)}`);
        bytes = text.length;
      }
      return {
        metrics: [
          {
            name: "one request's counter inc + histogram observe, median of 3",
            value: round(median(ns), 0),
            unit: "ns",
          },
          { name: "GET /-/metrics, median", value: round(median(scrapes), 2), unit: "ms" },
          { name: "GET /-/metrics, p99", value: round(percentile(scrapes, 99), 2), unit: "ms" },
          { name: "GET /-/metrics, body", value: round(bytes / 1024), unit: "KB" },
        ],
        notes: [
          `${OBSERVATIONS} observations over ${ROUTES} routes per round, 3 rounds: ${ns.map((n) => round(n, 0)).join(", ")} ns`,
          `${SCRAPES} scrapes over loopback, in-process server, runner off, after ${REQUESTS} requests on ${paths.length} routes`,
        ],
      };
    } finally {
      await t.stop();
    }
  },
};

export default bench;
