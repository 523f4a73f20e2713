// GET /projects/:id/terminal_sessions (+ /:session_id/recording): the project's terminal audit trail, Maintainers and up.
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { Hono } from "hono";
import { externalUrl } from "../../config/schema.ts";
import { notFound } from "../../domain/errors.ts";
import { findForProject, listForProject } from "../../session/audit.ts";
import { recordingFile } from "../../session/recordings.ts";
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
    const people = c.get("deps").store.repos.users.findMany(userIds);
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
        recording_url: r.recordingPath
          ? `${base}/api/v4/projects/${project.id}/terminal_sessions/${r.id}/recording`
          : null,
      })),
    );
  });

  /** The session's asciicast v2 file as a download; 404 when the row is another project's or has no recording. */
  app.get("/projects/:id/terminal_sessions/:session_id/recording", (c) => {
    const { project } = loadProject(c, "read_audit");
    const { config, store } = c.get("deps");
    const row = findForProject(store.db, project.id, Number(c.req.param("session_id")));
    const file = row?.recordingPath ? recordingFile(resolve(config.data_dir), row.recordingPath) : null;
    if (!file || !existsSync(file)) throw notFound("Recording");
    return new Response(Bun.file(file), {
      headers: {
        "Content-Type": "application/x-asciicast",
        "Content-Disposition": `attachment; filename="${basename(file)}"`,
        "Cache-Control": "no-store",
      },
    });
  });
  return app;
}
