// createApp: the Hono application for porthole's HTTP surface (the /api/v4 REST API; pages and sockets plug in).
import { Hono } from "hono";
import { apiRoutes } from "./api/index.ts";
import { runnerProtocolRoutes } from "./api/runner-protocol/index.ts";
import type { ApiEnv, AppDeps } from "./env.ts";
import { gitHttpRoutes } from "./git/smart-http.ts";
import { accessLog, httpLogger } from "./middleware/access-log.ts";
import { errorHandler, handleNotFound } from "./middleware/errors.ts";

export type { AppDeps } from "./env.ts";

/**
 * Builds the app. Every request gets `deps` on its context; /api/v4 answers GitLab's JSON, including for errors
 * (DomainError → status + `{"message": …}`, bad parameters → 400 `{"error": …}`, anything else → logged 500); with `log.access`, every request is logged.
 * Callers may add routes (pages) to the returned app.
 */
export function createApp(deps: AppDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const logger = httpLogger(deps);
  if (deps.config.log.access) app.use(accessLog(logger));
  app.onError(errorHandler(logger));
  app.notFound(handleNotFound);
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.route("/api/v4", runnerProtocolRoutes());
  app.route("/api/v4", apiRoutes());
  app.route("/", gitHttpRoutes());
  return app;
}
