// GitLab's runner API under /api/v4 (gitlab-runner's calls), ahead of the user API's authentication: runners and jobs
// authenticate with their own tokens.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiEnv } from "../../env.ts";
import { MAX_BODY_BYTES } from "../index.ts";
import { jobsRequestRoutes } from "./jobs-request.ts";
import { registrationRoutes } from "./registration.ts";
import { traceRoutes } from "./trace.ts";
import { updateRoutes } from "./update.ts";

export function runnerProtocolRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ message: "413 Request Entity Too Large" }, 413),
    }),
  );
  for (const routes of [registrationRoutes(), jobsRequestRoutes(), traceRoutes(), updateRoutes()])
    app.route("/", routes);
  return app;
}
