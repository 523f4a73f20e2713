// GitLab's audit events API: every event for admins (`/audit_events`), a project's for its Maintainers.
import { and, desc, eq, gte, isNotNull, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AuditEventRow } from "../../store/rows.ts";
import { auditEvents, projects } from "../../store/schema.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { ParamsError } from "../middleware/errors.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zInt, zText } from "../middleware/validate.ts";
import { loadProject, requireGlobal } from "./guard.ts";

/** GitLab's author id for events without a signed-in author (failed sign-ins of unknown logins). */
const UNAUTHENTICATED_AUTHOR = -1;

const filterSchema = z.object({
  created_after: zText().optional(),
  created_before: zText().optional(),
  entity_type: z.enum(["User", "Project"]).optional(),
  entity_id: zInt().optional(),
});

/** GitLab's AuditEvent entity; the entity is the project when there is one, else the user the event is about. */
function auditEventEntity(row: AuditEventRow, projectPath: string | null) {
  const userTarget = row.targetType === "User" && row.targetId !== null ? Number(row.targetId) : null;
  return {
    id: row.id,
    author_id: row.actorId ?? UNAUTHENTICATED_AUTHOR,
    entity_id: row.projectId ?? userTarget ?? row.actorId ?? UNAUTHENTICATED_AUTHOR,
    entity_type: row.projectId !== null ? "Project" : "User",
    details: {
      ...row.details,
      custom_message: row.action,
      author_name: row.actorName,
      target_id: row.targetId,
      target_type: row.targetType,
      ip_address: row.ip,
      entity_path: projectPath,
    },
    created_at: row.createdAt.toISOString(),
  };
}

function dateParam(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new ParamsError(`${name} is invalid`);
  return date;
}

/** `entity_type` (and `entity_id`): a project's events, or events about (or by) a user outside projects. */
function entityFilter(type: "User" | "Project" | undefined, id: number | undefined): SQL | undefined {
  if (type === "Project") return id === undefined ? isNotNull(auditEvents.projectId) : eq(auditEvents.projectId, id);
  if (type !== "User") return undefined;
  const about =
    id === undefined
      ? undefined
      : or(eq(auditEvents.actorId, id), and(eq(auditEvents.targetType, "User"), eq(auditEvents.targetId, String(id))));
  return and(isNull(auditEvents.projectId), about);
}

async function listEvents(c: ApiContext, scope: SQL | undefined): Promise<Response> {
  const params = await readParams(c);
  const page = pageOf(params);
  const f = parseParams(filterSchema, params);
  const after = dateParam(f.created_after, "created_after");
  const before = dateParam(f.created_before, "created_before");
  const where = and(
    scope,
    entityFilter(f.entity_type, f.entity_id),
    after ? gte(auditEvents.createdAt, after) : undefined,
    before ? lte(auditEvents.createdAt, before) : undefined,
  );
  const db = c.get("deps").store.db;
  const rows = db
    .select({ event: auditEvents, namespace: projects.namespace, path: projects.path })
    .from(auditEvents)
    .leftJoin(projects, eq(projects.id, auditEvents.projectId))
    .where(where)
    .orderBy(desc(auditEvents.id))
    .limit(page.perPage)
    .offset(page.offset)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(where).get()?.n ?? 0;
  const items = rows.map((r) => auditEventEntity(r.event, r.namespace === null ? null : `${r.namespace}/${r.path}`));
  return paginated(c, page, total, items);
}

export function auditEventRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/audit_events", (c) => {
    requireGlobal(c, "admin_users");
    return listEvents(c, undefined);
  });

  app.get("/projects/:id/audit_events", (c) => {
    const { project } = loadProject(c, "read_audit");
    return listEvents(c, eq(auditEvents.projectId, project.id));
  });

  return app;
}
