// /projects: list visible projects, create (creator becomes Owner), show, update (Maintainer), delete (Owner).
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../../auth/audit.ts";
import { visibleProjects } from "../../auth/permissions.ts";
import { isCancelable, JOB_STATUSES } from "../../domain/status.ts";
import { checkImportTarget, createProject, deleteProject, updateProject } from "../../queue/project-changes.ts";
import { type ApiEnv, clientIp } from "../env.ts";
import { ParamsError } from "../middleware/errors.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zInt, zText } from "../middleware/validate.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { projectEntity } from "../serializers/project.ts";
import { loadProject, requireActor, requireGlobal } from "./guard.ts";

const visibility = z.enum(["private", "internal", "public"]);
const fields = {
  name: zText().optional(),
  path: zText().optional(),
  description: zText().nullable().optional(),
  visibility: visibility.optional(),
  import_url: zText().nullable().optional(),
  ci_config: zText().nullable().optional(),
  ci_config_path: zText().optional(),
  default_branch: zText().optional(),
  mirror_poll_interval: zInt().nullable().optional(),
  debug_on_failure: zInt().nullable().optional(),
};
const listSchema = z.object({
  search: zText().optional(),
  visibility: visibility.optional(),
  membership: zBool().optional(),
  owned: zBool().optional(),
  order_by: z.enum(["id", "name", "path", "created_at", "updated_at", "last_activity_at"]).default("created_at"),
  sort: z.enum(["asc", "desc"]).default("desc"),
});

export function projectRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const timeout = (c: { get(k: "deps"): ApiEnv["Variables"]["deps"] }) => c.get("deps").config.job_timeout;

  app.get("/projects", async (c) => {
    const params = await readParams(c);
    const f = parseParams(listSchema, params);
    const page = pageOf(params);
    const actor = c.get("actor");
    const { rows, total } = c.get("deps").store.repos.projects.page(
      {
        visibleTo: visibleProjects(actor),
        search: f.search,
        visibility: f.visibility,
        memberId: actor && f.membership ? actor.user.id : undefined,
        namespace: actor && f.owned ? actor.user.username : undefined,
      },
      { by: f.order_by, sort: f.sort },
      page,
    );
    const look = lookupsFor(c.get("deps"));
    return paginated(
      c,
      page,
      total,
      rows.map((p) => projectEntity(p, look, { buildTimeout: timeout(c) })),
    );
  });

  app.post("/projects", async (c) => {
    const actor = requireGlobal(c, "create_project");
    const input = parseParams(z.object(fields), await readParams(c));
    if (input.name === undefined && input.path === undefined) {
      throw new ParamsError("name, path are missing, at least one parameter must be provided");
    }
    await checkImportTarget(actor.user, input, c.get("deps").config.limits.import_url_allowlist);
    const project = createProject(c.get("deps").store.db, actor.user, input);
    return c.json(projectEntity(project, lookupsFor(c.get("deps")), { buildTimeout: timeout(c), level: 50 }), 201);
  });

  app.get("/projects/:id", (c) => {
    const { project, level } = loadProject(c, "read_project");
    return c.json(projectEntity(project, lookupsFor(c.get("deps")), { buildTimeout: timeout(c), level }));
  });

  app.put("/projects/:id", async (c) => {
    const input = parseParams(z.object(fields), await readParams(c));
    const { project, level } = loadProject(c, input.visibility !== undefined ? "change_visibility" : "update_project");
    await checkImportTarget(requireActor(c).user, input, c.get("deps").config.limits.import_url_allowlist);
    const updated = updateProject(c.get("deps").store.db, requireActor(c).user, project, input);
    return c.json(projectEntity(updated, lookupsFor(c.get("deps")), { buildTimeout: timeout(c), level }));
  });

  app.delete("/projects/:id", (c) => {
    const { project, actor } = loadProject(c, "delete_project");
    const { store, pipelines: service } = c.get("deps");
    const unfinished = JOB_STATUSES.filter(isCancelable);
    for (const id of store.repos.pipelines.idsWithStatus(project.id, unfinished)) {
      service.cancelPipeline(id);
    }
    deleteProject(store.db, project.id);
    c.get("deps").artifacts.removeProject(project.id);
    audit(store.db, {
      action: "project_deleted",
      actor,
      targetType: "Project",
      targetId: project.id,
      details: { path: `${project.namespace}/${project.path}` },
      ip: clientIp(c),
    });
    return c.json({ message: "202 Accepted" }, 202);
  });
  return app;
}
