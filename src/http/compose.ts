// composeApp: the one HTTP application porthole serves (API first, then the pages), built the same way by boot and tests.
import type { Hono } from "hono";
import { type AppDeps, createApp } from "./app.ts";
import type { ApiEnv } from "./env.ts";
import { createUiRoutes } from "./ui/index.ts";

/** The API under /api/v4 and every page; the terminal page and sockets are served beside it by startHttpServer. */
export function composeApp(deps: AppDeps): Hono<ApiEnv> {
  const app = createApp(deps);
  app.route("/", createUiRoutes(deps));
  return app;
}
