// Test support: the composed app with the real queue over a real SQLite store and no runner (jobs stay where the
// scheduler puts them), as the route and page harnesses use it.
import { join } from "node:path";
import { configSchema } from "../config/schema.ts";
import type { Logger } from "../logger.ts";
import { createTraceStore } from "../logs/trace-store.ts";
import { createQueue } from "../queue/index.ts";
import { createArtifactStore, TEST_ARTIFACT_LIMITS } from "../store/artifacts.ts";
import { openStore } from "../store/db.ts";
import { NO_DATA_DIR } from "../store/store.testing.ts";
import { composeApp } from "./compose.ts";

export const TEST_BASE_URL = "http://ci.test";

/**
 * `dataDir` null: an in-memory database and no data folder (nothing may touch the disk). `opts.logger` catches what
 * the app logs (failed requests); by default it goes to standard error. `opts.now`: the clock schedules run by.
 */
export function composeTestApp(dataDir: string | null, opts: { logger?: Logger; now?: () => number } = {}) {
  const store = openStore(dataDir ? join(dataDir, "porthole.db") : ":memory:");
  const traces = createTraceStore(store.db);
  const artifacts = createArtifactStore(store.db, join(dataDir ?? NO_DATA_DIR, "artifacts"), TEST_ARTIFACT_LIMITS);
  const queue = createQueue({
    db: store.db,
    traces,
    artifacts,
    externalUrl: TEST_BASE_URL,
    defaultTimeoutSeconds: 3600,
    reposDir: join(dataDir ?? NO_DATA_DIR, "repos"),
    now: opts.now,
  });
  const config = configSchema.parse({
    listen: "127.0.0.1:0",
    external_url: TEST_BASE_URL,
    data_dir: dataDir ?? NO_DATA_DIR,
  });
  const app = composeApp({
    store,
    pipelines: queue.service,
    traces,
    artifacts,
    events: queue.events,
    config,
    version: "9.9.9-test",
    liveLogQuietMs: 100,
    logger: opts.logger,
  });
  return {
    app,
    store,
    db: store.db,
    traces,
    queue,
    config,
    close() {
      queue.stop();
      store.close();
    },
  };
}
