// /projects/:id/environments and /projects/:id/deployments: GitLab's list, get and stop (Reporters read, Developers stop).
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../domain/errors.ts";
import type { EnvironmentRow } from "../../store/rows.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { ParamsError } from "../middleware/errors.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zText } from "../middleware/validate.ts";
import { deploymentEntity, environmentEntity } from "../serializers/environment.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { loadProject, type ProjectAccess } from "./guard.ts";

const listSchema = z.object({
  name: zText().optional(),
  search: zText().optional(),
  states: z.enum(["available", "stopping", "stopped"]).optional(),
});
const deploymentListSchema = z.object({
  order_by: z.enum(["id", "iid", "created_at", "updated_at", "finished_at"]).optional(),
  sort: z.enum(["asc", "desc"]).optional(),
  environment: zText().optional(),
  status: z.enum(["created", "running", "success", "failed", "canceled", "skipped", "blocked"]).optional(),
});

const reposOf = (c: ApiContext) => c.get("deps").store.repos;

/** The route's environment in a project the caller may do `action` in. */
function loadEnvironment(c: ApiContext, action: "read_environment" | "stop_environment") {
  const access = loadProject(c, action);
  const id = Number(c.req.param("environment_id"));
  const environment = Number.isSafeInteger(id) ? reposOf(c).environments.findInProject(access.project.id, id) : null;
  if (!environment) throw notFound("Environment");
  return { ...access, environment };
}

function single(c: ApiContext, env: EnvironmentRow) {
  const repos = reposOf(c);
  return environmentEntity(env, lookupsFor(c.get("deps")), {
    deployment: repos.deployments.lastSuccessful(env.id),
    repos,
  });
}

export function environmentRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const one = "/projects/:id/environments/:environment_id{[0-9]+}";

  app.get("/projects/:id/environments", async (c) => {
    const { project } = loadProject(c, "read_environment");
    const params = await readParams(c);
    const filter = parseParams(listSchema, params);
    const page = pageOf(params);
    if (filter.name !== undefined && filter.search !== undefined)
      throw new ParamsError("name, search are mutually exclusive");
    const { rows, total } = reposOf(c).environments.pageOfProject(
      project.id,
      { state: filter.states, name: filter.name, search: filter.search },
      page,
    );
    const look = lookupsFor(c.get("deps"));
    return paginated(
      c,
      page,
      total,
      rows.map((env) => environmentEntity(env, look)),
    );
  });

  app.get(one, (c) => c.json(single(c, loadEnvironment(c, "read_environment").environment)));

  /** Runs the last deployment's on_stop job as the caller (or, with `force`, stops without it). */
  app.post(`${one}/stop`, async (c) => {
    const force = parseParams(z.object({ force: zBool().optional() }), await readParams(c)).force ?? false;
    const { environment, actor } = loadEnvironment(c, "stop_environment");
    const stopped = c.get("deps").pipelines.stopEnvironment(environment, actor?.user.id ?? null, force);
    return c.json(single(c, stopped), 200);
  });

  app.get("/projects/:id/deployments", async (c) => {
    const access: ProjectAccess = loadProject(c, "read_environment");
    const params = await readParams(c);
    const p = parseParams(deploymentListSchema, params);
    const page = pageOf(params);
    const repos = reposOf(c);
    const environment =
      p.environment === undefined ? undefined : repos.environments.findByName(access.project.id, p.environment);
    const look = lookupsFor(c.get("deps"));
    if (environment === null) return paginated(c, page, 0, []);
    const { rows, total } = repos.deployments.page(
      access.project.id,
      { environmentId: environment?.id, status: p.status, orderBy: p.order_by ?? "id", sort: p.sort ?? "asc" },
      page,
    );
    return paginated(
      c,
      page,
      total,
      rows.map((d) => deploymentEntity(d, look, repos)),
    );
  });

  app.get("/projects/:id/deployments/:deployment_id{[0-9]+}", (c) => {
    const { project } = loadProject(c, "read_environment");
    const deployment = reposOf(c).deployments.findInProject(project.id, Number(c.req.param("deployment_id")));
    if (!deployment) throw notFound("Deployment");
    return c.json(deploymentEntity(deployment, lookupsFor(c.get("deps")), reposOf(c)));
  });
  return app;
}
