// POST /projects/:id/reset_cache: "Clear runner caches" (Maintainer): every cache key of the project gets a new index.
import { Hono } from "hono";
import { audit } from "../../auth/audit.ts";
import { type ApiEnv, clientIp } from "../env.ts";
import { loadProject } from "./guard.ts";

export function cacheRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post("/projects/:id/reset_cache", (c) => {
    const { project, actor } = loadProject(c, "update_project");
    const { db, repos } = c.get("deps").store;
    const index = repos.projects.bumpJobsCacheIndex(project.id);
    audit(db, {
      action: "runner_caches_cleared",
      actor,
      projectId: project.id,
      targetType: "Project",
      targetId: project.id,
      details: { jobs_cache_index: index },
      ip: clientIp(c),
    });
    return c.json({ jobs_cache_index: index });
  });
  return app;
}
