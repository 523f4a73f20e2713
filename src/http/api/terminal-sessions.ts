// GET /projects/:id/terminal_sessions: the project's terminal audit trail, for Maintainers and above.
import { inArray } from "drizzle-orm";
import { Hono } from "hono";
import { externalUrl } from "../../config/schema.ts";
import { listForProject } from "../../session/audit.ts";
import { users } from "../../store/schema.ts";
import type { ApiEnv } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { iso } from "../serializers/time.ts";
import { userBasic } from "../serializers/user.ts";
import { loadProject } from "./guard.ts";

export function terminalSessionRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/projects/:id/terminal_sessions", async (c) => {
    const { project } = loadProject(c, "read_audit");
    const page = pageOf(await readParams(c));
    const db = c.get("deps").store.db;
    const { rows, total } = listForProject(db, project.id, page);
    const userIds = [...new Set(rows.map((r) => r.userId).filter((id): id is number => id !== null))];
    const people = userIds.length ? db.select().from(users).where(inArray(users.id, userIds)).all() : [];
    const base = externalUrl(c.get("deps").config);
    const byId = new Map(people.map((u) => [u.id, userBasic(u, base)]));
    return paginated(
      c,
      page,
      total,
      rows.map((r) => ({
        id: r.id,
        job_id: r.jobId,
        project_id: r.projectId,
        user: r.userId === null ? null : (byId.get(r.userId) ?? null),
        mode: r.mode,
        subprotocol: r.subprotocol,
        remote_address: r.remoteAddress,
        user_agent: r.userAgent,
        opened_at: iso(r.openedAt),
        closed_at: iso(r.closedAt),
        close_reason: r.closeReason,
        recording_path: r.recordingPath,
      })),
    );
  });
  return app;
}
