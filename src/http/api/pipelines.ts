// Pipelines: create (`POST …/pipeline`), list with GitLab's filters, show, cancel, retry, delete; and CI lint.
import { Hono } from "hono";
import { z } from "zod";
import { findUserByLogin } from "../../auth/users.ts";
import { JOB_STATUSES } from "../../domain/status.ts";
import type { ApiEnv } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zText } from "../middleware/validate.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { pipelineBasic, pipelineEntity } from "../serializers/pipeline.ts";
import { loadPipeline, loadProject, requireActor } from "./guard.ts";
import { pipelineVariables } from "./pipeline-variables.ts";

const SCOPES: Record<string, readonly string[]> = {
  running: ["running"],
  pending: ["pending"],
  finished: ["success", "failed", "canceled", "skipped"],
};
const listSchema = z.object({
  scope: z.enum(["running", "pending", "finished", "branches", "tags"]).optional(),
  status: z.enum(JOB_STATUSES).optional(),
  source: zText().optional(),
  ref: zText().optional(),
  sha: zText().optional(),
  username: zText().optional(),
  order_by: z.enum(["id", "status", "ref", "updated_at", "user_id"]).default("id"),
  sort: z.enum(["asc", "desc"]).default("desc"),
});
const createSchema = z.object({ ref: zText(), variables: z.unknown().optional() });
const lintSchema = z.object({ content: zText() });

export function pipelineRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/projects/:id/pipeline", async (c) => {
    const p = parseParams(createSchema, await readParams(c));
    const { project } = loadProject(c, "create_pipeline");
    const { pipelines: service } = c.get("deps");
    const row = await service.create({
      projectId: project.id,
      ref: p.ref,
      source: "api",
      userId: requireActor(c).user.id,
      variables: pipelineVariables(p.variables),
    });
    return c.json(pipelineEntity(row, lookupsFor(c.get("deps"))), 201);
  });

  app.get("/projects/:id/pipelines", async (c) => {
    const { project } = loadProject(c, "read_pipeline");
    const params = await readParams(c);
    const f = parseParams(listSchema, params);
    const page = pageOf(params);
    const db = c.get("deps").store.db;
    const branchesOrTags = f.scope === "branches" || f.scope === "tags";
    const { rows, total } = c.get("deps").store.repos.pipelines.page(
      project.id,
      {
        tag: branchesOrTags ? f.scope === "tags" : undefined,
        statuses: f.scope && !branchesOrTags ? ([...SCOPES[f.scope]!] as (typeof JOB_STATUSES)[number][]) : undefined,
        status: f.status,
        source: f.source,
        ref: f.ref,
        sha: f.sha,
        userId: f.username ? (findUserByLogin(db, f.username)?.id ?? -1) : undefined,
      },
      { by: f.order_by, sort: f.sort },
      page,
    );
    const look = lookupsFor(c.get("deps"));
    return paginated(
      c,
      page,
      total,
      rows.map((r) => pipelineBasic(r, look)),
    );
  });

  app.get("/projects/:id/pipelines/:pipeline_id{[0-9]+}", (c) => {
    const { pipeline } = loadPipeline(c, "read_pipeline");
    return c.json(pipelineEntity(pipeline, lookupsFor(c.get("deps"))));
  });

  app.post("/projects/:id/pipelines/:pipeline_id{[0-9]+}/cancel", (c) => {
    const { pipeline } = loadPipeline(c, "update_pipeline");
    const row = c.get("deps").pipelines.cancelPipeline(pipeline.id);
    return c.json(pipelineEntity(row, lookupsFor(c.get("deps"))), 201);
  });

  app.post("/projects/:id/pipelines/:pipeline_id{[0-9]+}/retry", (c) => {
    const { pipeline, actor } = loadPipeline(c, "update_pipeline");
    const row = c.get("deps").pipelines.retryPipeline(pipeline.id, actor?.user.id ?? null);
    return c.json(pipelineEntity(row, lookupsFor(c.get("deps"))), 201);
  });

  app.delete("/projects/:id/pipelines/:pipeline_id{[0-9]+}", (c) => {
    const { pipeline } = loadPipeline(c, "delete_pipeline");
    c.get("deps").pipelines.deletePipeline(pipeline.id);
    return c.body(null, 204);
  });

  app.post("/projects/:id/ci/lint", async (c) => {
    const p = parseParams(lintSchema, await readParams(c));
    const { project, actor } = loadProject(c, "lint_ci");
    const result = await c.get("deps").pipelines.lint(project.id, p.content, actor?.user.id ?? null);
    return c.json({ ...result, includes: result.includes ?? [] }, 200);
  });
  return app;
}
