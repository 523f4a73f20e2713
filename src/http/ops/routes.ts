// The operator endpoints GitLab has: /-/health, /-/liveness, /-/readiness (database, disk, runner), /-/metrics.

import { accessSync, constants } from "node:fs";
import { resolve } from "node:path";
import { Hono } from "hono";
import { databaseAnswers } from "../../store/database-file.ts";
import type { ApiEnv, AppDeps } from "../env.ts";
import { monitoringOnly } from "./allow-list.ts";
import { freeBytes } from "./disk.ts";
import type { OpsMetrics } from "./metrics.ts";

/** Below this much free space under data_dir the disk check fails: no job log or database write would fit. */
const FULL_BELOW_BYTES = 1024 * 1024;

type Check = { status: "ok" } | { status: "failed"; message: string };

function check(run: () => string | null): Check {
  try {
    const problem = run();
    return problem ? { status: "failed", message: problem } : { status: "ok" };
  } catch (error) {
    return { status: "failed", message: error instanceof Error ? error.message : String(error) };
  }
}

/** The readiness checks, in GitLab's shape (`<name>_check: [{status}]`). */
function readiness(deps: AppDeps): Record<string, Check[]> {
  const dataDir = resolve(deps.config.data_dir);
  return {
    db_check: [check(() => (databaseAnswers(deps.store) ? null : "the database does not answer"))],
    disk_check: [
      check(() => {
        accessSync(dataDir, constants.W_OK);
        return freeBytes(dataDir) >= FULL_BELOW_BYTES ? null : `the disk under ${dataDir} is full`;
      }),
    ],
    runner_check: [
      check(() =>
        !deps.config.runner.enabled || (deps.runnerRunning?.() ?? true) ? null : "the embedded runner is not running",
      ),
    ],
  };
}

export function opsRoutes(deps: AppDeps, metrics: OpsMetrics): Hono<ApiEnv> {
  const ops = new Hono<ApiEnv>();
  ops.use("/-/health", monitoringOnly(deps.config.monitoring.ip_whitelist));
  ops.use("/-/liveness", monitoringOnly(deps.config.monitoring.ip_whitelist));
  ops.use("/-/readiness", monitoringOnly(deps.config.monitoring.ip_whitelist));
  ops.use("/-/metrics", monitoringOnly(deps.config.monitoring.ip_whitelist));
  ops.get("/-/health", (c) => c.text("porthole OK"));
  ops.get("/-/liveness", (c) => c.json({ status: "ok" }));
  ops.get("/-/readiness", (c) => {
    const checks = readiness(deps);
    const failed = Object.values(checks)
      .flat()
      .filter((r) => r.status === "failed");
    const body = failed.length
      ? { status: "failed", message: failed.map((r) => ("message" in r ? r.message : "")).join("; "), ...checks }
      : { status: "ok", ...checks };
    return c.json(body, failed.length ? 503 : 200);
  });
  ops.get("/-/metrics", async (c) =>
    c.body(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType }),
  );
  return ops;
}
