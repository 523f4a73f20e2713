// GitLab's audit events API: every event for admins (`/audit_events`), a project's for its Maintainers.
import { Hono } from "hono";
import { z } from "zod";
import type { AuditEventRow } from "../../store/rows.ts";
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

/** A page of events, newest first; `projectId` limits them to one project's. */
async function listEvents(c: ApiContext, projectId: number | undefined): Promise<Response> {
  const params = await readParams(c);
  const page = pageOf(params);
  const f = parseParams(filterSchema, params);
  const { rows, total } = c.get("deps").store.repos.auditEvents.page(
    {
      projectId,
      entity: f.entity_type ? { type: f.entity_type, id: f.entity_id } : undefined,
      after: dateParam(f.created_after, "created_after"),
      before: dateParam(f.created_before, "created_before"),
    },
    page,
  );
  return paginated(
    c,
    page,
    total,
    rows.map((r) => auditEventEntity(r.event, r.projectPath)),
  );
}

export function auditEventRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/audit_events", (c) => {
    requireGlobal(c, "admin_users");
    return listEvents(c, undefined);
  });

  app.get("/projects/:id/audit_events", (c) => {
    const { project } = loadProject(c, "read_audit");
    return listEvents(c, project.id);
  });

  return app;
}
