// /projects/:id/resource_groups: GitLab's list, get, edit (process_mode) and upcoming_jobs, for Developers.
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../domain/errors.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams } from "../middleware/validate.ts";
import { resourceGroupEntity } from "../serializers/environment.ts";
import { jobEntity } from "../serializers/job.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { loadProject } from "./guard.ts";

const editSchema = z.object({ process_mode: z.enum(["unordered", "oldest_first", "newest_first"]).optional() });
const groupsOf = (c: ApiContext) => c.get("deps").store.repos.resourceGroups;

function loadGroup(c: ApiContext, action: "read_resource_group" | "update_resource_group") {
  const access = loadProject(c, action);
  const group = groupsOf(c).find(access.project.id, c.req.param("key") ?? "");
  if (!group) throw notFound("Resource Group");
  return { ...access, group };
}

export function resourceGroupRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const one = "/projects/:id/resource_groups/:key";

  app.get("/projects/:id/resource_groups", (c) => {
    const { project } = loadProject(c, "read_resource_group");
    return c.json(groupsOf(c).ofProject(project.id).map(resourceGroupEntity));
  });

  app.get(one, (c) => c.json(resourceGroupEntity(loadGroup(c, "read_resource_group").group)));

  /** The group's jobs that still want the resource (GitLab's `upcoming_jobs`), oldest first. */
  app.get(`${one}/upcoming_jobs`, (c) => {
    const { group, project } = loadGroup(c, "read_resource_group");
    const jobs = groupsOf(c).jobsOfGroup(project.id, group.key, ["created", "scheduled", "waiting_for_resource"]);
    const look = lookupsFor(c.get("deps"));
    return c.json(jobs.map((job) => jobEntity(job, look)));
  });

  app.put(one, async (c) => {
    const p = parseParams(editSchema, await readParams(c));
    const { group, project } = loadGroup(c, "update_resource_group");
    const row = p.process_mode ? groupsOf(c).setProcessMode(group.id, p.process_mode) : group;
    c.get("deps").pipelines.resourceGroupChanged(project.id, row.key);
    return c.json(resourceGroupEntity(row));
  });
  return app;
}
