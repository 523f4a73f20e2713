// The /api/v4 router: every REST resource, behind body limits, authentication and GitLab's error shapes.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiEnv } from "../env.ts";
import { authenticate } from "../middleware/authenticate.ts";
import { artifactRoutes } from "./artifacts.ts";
import { auditEventRoutes } from "./audit-events.ts";
import { cacheRoutes } from "./caches.ts";
import { commitStatusRoutes } from "./commit-statuses.ts";
import { environmentRoutes } from "./environments.ts";
import { jobRoutes } from "./jobs.ts";
import { memberRoutes } from "./members.ts";
import { metaRoutes } from "./meta.ts";
import { pipelineReadRoutes } from "./pipeline-reads.ts";
import { pipelineScheduleRoutes } from "./pipeline-schedules.ts";
import { pipelineRoutes } from "./pipelines.ts";
import { projectRoutes } from "./projects.ts";
import { protectedBranchRoutes } from "./protected-branches.ts";
import { repositoryRoutes } from "./repository.ts";
import { resourceGroupRoutes } from "./resource-groups.ts";
import { RUNNER_UPLOAD_PATH, runnerArtifactRoutes } from "./runner-artifacts.ts";
import { runnerRoutes } from "./runners.ts";
import { terminalSessionRoutes } from "./terminal-sessions.ts";
import { terminalShareLinkRoutes } from "./terminal-share-links.ts";
import { tokenRoutes } from "./tokens.ts";
import { traceStreamRoutes } from "./trace-stream.ts";
import { triggerRoutes } from "./triggers.ts";
import { userRoutes } from "./users.ts";
import { variableRoutes } from "./variables.ts";
import { webhookRoutes } from "./webhooks.ts";

/** Request bodies above this are refused with 413 (GitLab's CI config limit is 2 MB; room for JSON escaping). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Routes relative to /api/v4. Expects `deps` to be set on the context by the parent app. */
export function apiRoutes(): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  const generalLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ message: "413 Request Entity Too Large" }, 413),
  });
  // A runner's artifact upload has its own limit (artifacts.max_size), set by its route.
  api.use((c, next) => (RUNNER_UPLOAD_PATH.test(new URL(c.req.url).pathname) ? next() : generalLimit(c, next)));
  api.use(async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "no-store");
    c.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
  });
  api.use(authenticate());
  for (const routes of [
    metaRoutes(),
    userRoutes(),
    tokenRoutes(),
    projectRoutes(),
    cacheRoutes(),
    memberRoutes(),
    variableRoutes(),
    pipelineRoutes(),
    jobRoutes(),
    artifactRoutes(),
    runnerArtifactRoutes(),
    traceStreamRoutes(),
    triggerRoutes(),
    runnerRoutes(),
    terminalSessionRoutes(),
    terminalShareLinkRoutes(),
    protectedBranchRoutes(),
    auditEventRoutes(),
    webhookRoutes(),
    pipelineScheduleRoutes(),
    pipelineReadRoutes(),
    repositoryRoutes(),
    commitStatusRoutes(),
    environmentRoutes(),
    resourceGroupRoutes(),
  ]) {
    api.route("/", routes);
  }
  return api;
}
