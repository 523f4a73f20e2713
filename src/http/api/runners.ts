// Runners (admins): create one and get its `glrt-` token once, list, show, delete. Instance runners only.
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../../auth/audit.ts";
import { can } from "../../auth/permissions.ts";
import { createRunner } from "../../auth/runner-tokens.ts";
import { forbidden, notFound } from "../../domain/errors.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zList, zText } from "../middleware/validate.ts";
import { runnerEntity } from "../serializers/credentials.ts";
import { iso } from "../serializers/time.ts";
import { requireActor, requireGlobal } from "./guard.ts";

const createSchema = z.object({
  runner_type: z.enum(["instance_type"]),
  description: zText().optional(),
  paused: zBool().optional(),
  run_untagged: zBool().optional(),
  tag_list: zList().optional(),
});
const listSchema = z.object({
  type: z.enum(["instance_type", "project_type"]).optional(),
  paused: zBool().optional(),
  tag_list: zList().optional(),
});

function runnerOf(c: ApiContext) {
  const id = Number(c.req.param("runner_id"));
  const row = c.get("deps").store.repos.runners.findById(id);
  if (!row) throw notFound("Runner");
  return row;
}

export function runnerRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/user/runners", async (c) => {
    const actor = requireGlobal(c, "admin_runners");
    const p = parseParams(createSchema, await readParams(c));
    const db = c.get("deps").store.db;
    const { token, row } = createRunner(db, {
      description: p.description ?? "",
      tags: p.tag_list,
      runUntagged: p.run_untagged,
      paused: p.paused,
    });
    audit(db, {
      action: "runner_created",
      actor,
      targetType: "Runner",
      targetId: row.id,
      details: { description: row.description },
      ip: clientIp(c),
    });
    return c.json({ id: row.id, token, token_expires_at: null }, 201);
  });

  const list = async (c: ApiContext) => {
    const actor = requireActor(c);
    const params = await readParams(c);
    const f = parseParams(listSchema, params);
    const page = pageOf(params);
    // Only instance runners exist, and GitLab shows those to admins only.
    if (!can(actor, "admin_runners")) return paginated(c, page, 0, []);
    const { rows, total } = c
      .get("deps")
      .store.repos.runners.page({ type: f.type, paused: f.paused, tags: f.tag_list }, page);
    return paginated(
      c,
      page,
      total,
      rows.map((r) => runnerEntity(r)),
    );
  };
  app.get("/runners", list);
  app.get("/runners/all", (c) => {
    requireGlobal(c, "admin_runners");
    return list(c);
  });

  app.get("/runners/:runner_id{[0-9]+}", (c) => {
    requireGlobal(c, "admin_runners");
    const row = runnerOf(c);
    return c.json({
      ...runnerEntity(row),
      tag_list: row.tags,
      run_untagged: row.runUntagged,
      locked: false,
      maximum_timeout: null,
      access_level: "not_protected",
      contacted_at: iso(row.contactedAt),
      version: row.version,
      revision: row.revision,
      platform: row.platform,
      architecture: row.architecture,
      executor_type: row.executorType,
      projects: [],
      groups: [],
    });
  });

  app.delete("/runners/:runner_id{[0-9]+}", (c) => {
    const actor = requireGlobal(c, "admin_runners");
    const row = runnerOf(c);
    if (row.embedded)
      throw forbidden("the embedded runner is part of the server; disable it in the configuration instead");
    c.get("deps").store.repos.runners.delete(row.id);
    audit(c.get("deps").store.db, {
      action: "runner_deleted",
      actor,
      targetType: "Runner",
      targetId: row.id,
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });
  return app;
}
