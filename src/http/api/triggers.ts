// Pipeline triggers: trigger tokens per project (Maintainer) and `POST …/trigger/pipeline` authenticated by token.
import { Hono } from "hono";
import { z } from "zod";
import { findProject } from "../../auth/access.ts";
import type { Actor } from "../../auth/actor.ts";
import { audit } from "../../auth/audit.ts";
import { authenticateJobToken } from "../../auth/authenticate.ts";
import { accessLevel, can } from "../../auth/permissions.ts";
import { createTrigger, findTrigger } from "../../auth/trigger-tokens.ts";
import { findUserById } from "../../auth/users.ts";
import { forbidden, notFound } from "../../domain/errors.ts";
import { type ApiEnv, clientIp } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zText } from "../middleware/validate.ts";
import { triggerEntity } from "../serializers/credentials.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { pipelineEntity } from "../serializers/pipeline.ts";
import { loadProject, requireActor } from "./guard.ts";
import { pipelineVariables } from "./pipeline-variables.ts";

const triggerSchema = z.object({ token: zText(), ref: zText(), variables: z.unknown().optional() });

export function triggerRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/projects/:id/triggers", async (c) => {
    const { project } = loadProject(c, "admin_triggers");
    const page = pageOf(await readParams(c));
    const { rows, total } = c.get("deps").store.repos.triggers.pageOfProject(project.id, page);
    const look = lookupsFor(c.get("deps"));
    return paginated(
      c,
      page,
      total,
      rows.map((t) => triggerEntity(t, look)),
    );
  });

  app.post("/projects/:id/triggers", async (c) => {
    const { description } = parseParams(z.object({ description: zText() }), await readParams(c));
    const { project, actor } = loadProject(c, "admin_triggers");
    const db = c.get("deps").store.db;
    const { token, row } = createTrigger(db, { projectId: project.id, ownerId: requireActor(c).user.id, description });
    audit(db, {
      action: "trigger_created",
      actor,
      projectId: project.id,
      targetType: "Trigger",
      targetId: row.id,
      ip: clientIp(c),
    });
    return c.json(triggerEntity(row, lookupsFor(c.get("deps")), token), 201);
  });

  app.delete("/projects/:id/triggers/:trigger_id{[0-9]+}", (c) => {
    const { project, actor } = loadProject(c, "admin_triggers");
    const db = c.get("deps").store.db;
    const id = Number(c.req.param("trigger_id"));
    const gone = c.get("deps").store.repos.triggers.deleteInProject(project.id, id);
    if (!gone) throw notFound("Trigger");
    audit(db, {
      action: "trigger_deleted",
      actor,
      projectId: project.id,
      targetType: "Trigger",
      targetId: id,
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });

  /**
   * Authenticated by the `token` parameter alone: a trigger token of this project (acting as its owner, who must
   * still be allowed to create pipelines) or a running job's CI_JOB_TOKEN (acting as that job's user).
   */
  app.post("/projects/:id/trigger/pipeline", async (c) => {
    const p = parseParams(triggerSchema, await readParams(c));
    const deps = c.get("deps");
    const db = deps.store.db;
    const project = findProject(db, c.req.param("id"));
    if (!project) throw notFound("Project");
    const trigger = findTrigger(db, project.id, p.token);
    const job = trigger ? null : authenticateJobToken(db, p.token);
    const owner = trigger ? findUserById(db, trigger.ownerId ?? -1) : (job?.user ?? null);
    if (!trigger && !job) throw notFound("Trigger");
    if (owner?.state !== "active") throw forbidden("the trigger's owner cannot run pipelines");
    const actor: Actor = { user: owner, via: "trigger", scopes: ["api"] };
    if (!can(actor, "create_pipeline", { project, level: accessLevel(db, owner, project) })) throw forbidden();
    const row = await deps.pipelines.create({
      projectId: project.id,
      ref: p.ref,
      // GitLab: a job token starts a multi-project/parent pipeline (`pipeline`), a trigger token a `trigger` one.
      source: trigger ? "trigger" : "pipeline",
      userId: owner.id,
      variables: pipelineVariables(p.variables),
    });
    return c.json(pipelineEntity(row, lookupsFor(deps)), 201);
  });
  return app;
}
