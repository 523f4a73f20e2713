// Runners (admins): create one and get its `glrt-` token once, list, show, delete. Instance runners only.
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../../auth/audit.ts";
import { can } from "../../auth/permissions.ts";
import { createRunner } from "../../auth/runner-tokens.ts";
import { forbidden, notFound } from "../../domain/errors.ts";
import { runners } from "../../store/schema.ts";
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
  const row = c.get("deps").store.db.select().from(runners).where(eq(runners.id, id)).get();
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
    const conditions: SQL[] = [];
    if (f.type) conditions.push(eq(runners.runnerType, f.type));
    if (f.paused !== undefined) conditions.push(eq(runners.paused, f.paused));
    for (const tag of f.tag_list ?? [])
      conditions.push(sql`EXISTS (SELECT 1 FROM json_each(${runners.tags}) WHERE value = ${tag})`);
    const db = c.get("deps").store.db;
    const where = and(...conditions);
    const rows = db
      .select()
      .from(runners)
      .where(where)
      .orderBy(asc(runners.id))
      .limit(page.perPage)
      .offset(page.offset)
      .all();
    const total = db.select({ n: sql<number>`count(*)` }).from(runners).where(where).get()?.n ?? 0;
    return paginated(
      c,
      page,
      total,
      rows.map((r) => runnerEntity(r)),
    );
  };
  app.get("/runners", list);
  app.get("/runners/all", (c) => (requireGlobal(c, "admin_runners"), list(c)));

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
    c.get("deps").store.db.delete(runners).where(eq(runners.id, row.id)).run();
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
