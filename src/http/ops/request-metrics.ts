// Counts every HTTP request by method, matched route pattern and status, with its latency.
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { ApiEnv } from "../env.ts";
import type { OpsMetrics } from "./metrics.ts";

/** The pattern of the handler that answered (not a middleware's), or `unmatched`. */
function routeOf(c: Parameters<MiddlewareHandler<ApiEnv>>[0]): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== "ALL");
  return handlers.at(-1)?.path ?? "unmatched";
}

export function requestMetrics(metrics: OpsMetrics): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(c.req.method, routeOf(c), c.res.status, (performance.now() - started) / 1000);
    }
  };
}
