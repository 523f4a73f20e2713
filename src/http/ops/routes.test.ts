import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema } from "../../config/schema.ts";
import { createTraceStore } from "../../logs/trace-store.ts";
import { createQueue } from "../../queue/index.ts";
import { createArtifactStore } from "../../store/artifacts.ts";
import { openStore } from "../../store/db.ts";
import { createApp } from "../app.ts";
import { allowList, isAllowed } from "./allow-list.ts";

const dataDir = mkdtempSync(join(tmpdir(), "porthole-ops-"));
const store = openStore(join(dataDir, "porthole.db"));
const traces = createTraceStore(store.db);
const artifacts = createArtifactStore(store.db, join(dataDir, "artifacts"), { maxBytes: 1024 * 1024, maxFiles: 100 });
const queue = createQueue({
  db: store.db,
  traces,
  artifacts,
  externalUrl: "http://ci.test",
  defaultTimeoutSeconds: 60,
  reposDir: join(dataDir, "repos"),
});
let runnerRunning = false;
const app = createApp({
  store,
  pipelines: queue.service,
  traces,
  artifacts,
  events: queue.events,
  config: configSchema.parse({ data_dir: dataDir }),
  version: "test",
  runnerRunning: () => runnerRunning,
});
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req, s) => app.fetch(req, { server: s }) });
afterAll(() => {
  server.stop(true);
  queue.stop();
  store.close();
});

describe("/-/readiness", () => {
  test("fails with 503 naming the runner while the embedded runner is not taking jobs, and is ok once it is", async () => {
    const down = await fetch(`${server.url}-/readiness`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: "failed",
      message: "the embedded runner is not running",
      db_check: [{ status: "ok" }],
      disk_check: [{ status: "ok" }],
      runner_check: [{ status: "failed", message: "the embedded runner is not running" }],
    });
    expect((await fetch(`${server.url}-/liveness`)).status).toBe(200); // alive all the same
    runnerRunning = true;
    expect((await fetch(`${server.url}-/readiness`)).status).toBe(200);
  });

  test("a request without a socket address (app.request) is refused like a stranger", async () => {
    expect((await app.request("/-/metrics")).status).toBe(404);
  });
});

describe("the monitoring allow-list", () => {
  test("CIDR ranges, single addresses and IPv4-mapped IPv6 callers", () => {
    const list = allowList(["10.0.0.0/8", "192.168.1.7", "fd00::/8"]);
    expect(isAllowed(list, "10.200.3.4")).toBe(true);
    expect(isAllowed(list, "::ffff:10.1.1.1")).toBe(true);
    expect(isAllowed(list, "192.168.1.7")).toBe(true);
    expect(isAllowed(list, "192.168.1.8")).toBe(false);
    expect(isAllowed(list, "fd12::1")).toBe(true);
    expect(isAllowed(list, "127.0.0.1")).toBe(false);
    expect(isAllowed(list, "::1")).toBe(false);
  });
});
