// /projects/:id/members: list and show (anyone who sees the project), add, change, remove (Maintainer; Owner for Owners).
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../../auth/audit.ts";
import { leavesNoOwner } from "../../auth/owners.ts";
import { ACCESS_LEVELS } from "../../auth/permissions.ts";
import { findUserById, findUserByLogin } from "../../auth/users.ts";
import { externalUrl } from "../../config/schema.ts";
import { conflict, forbidden, notFound } from "../../domain/errors.ts";
import type { MemberRow } from "../../store/rows.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zInt, zText } from "../middleware/validate.ts";
import { memberEntity } from "../serializers/project-settings.ts";
import { loadProject } from "./guard.ts";

const level = zInt().refine((n) => ACCESS_LEVELS.includes(n));
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();
const addSchema = z.object({
  user_id: zInt().optional(),
  username: zText().optional(),
  access_level: level,
  expires_at: date.optional(),
});
const changeSchema = z.object({ access_level: level, expires_at: date.optional() });

function memberOf(c: ApiContext, projectId: number): MemberRow {
  const userId = Number(c.req.param("user_id"));
  const row = c.get("deps").store.repos.members.find(projectId, userId);
  if (!row) throw notFound("Member");
  return row;
}

export function memberRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const base = (c: ApiContext) => externalUrl(c.get("deps").config);

  const list = async (c: ApiContext) => {
    const { project } = loadProject(c, "read_members");
    const page = pageOf(await readParams(c));
    const { rows, total } = c.get("deps").store.repos.members.pageWithUsers(project.id, page);
    return paginated(
      c,
      page,
      total,
      rows.map((r) => memberEntity(r.member, r.user, base(c))),
    );
  };
  app.get("/projects/:id/members", list);
  app.get("/projects/:id/members/all", list);

  app.get("/projects/:id/members/:user_id{[0-9]+}", (c) => {
    const { project } = loadProject(c, "read_members");
    const member = memberOf(c, project.id);
    return c.json(memberEntity(member, findUserById(c.get("deps").store.db, member.userId)!, base(c)));
  });

  app.post("/projects/:id/members", async (c) => {
    const p = parseParams(addSchema, await readParams(c));
    const { project, actor } = loadProject(c, "admin_members", { memberChange: { to: p.access_level } });
    const db = c.get("deps").store.db;
    const user =
      p.user_id !== undefined ? findUserById(db, p.user_id) : p.username ? findUserByLogin(db, p.username) : null;
    if (!user) throw notFound("User");
    const repo = c.get("deps").store.repos.members;
    if (repo.find(project.id, user.id)) throw conflict("Member already exists");
    const row = repo.insert({
      projectId: project.id,
      userId: user.id,
      accessLevel: p.access_level,
      expiresAt: p.expires_at ?? null,
    });
    audit(db, {
      action: "member_added",
      actor,
      projectId: project.id,
      targetType: "User",
      targetId: user.id,
      details: { access_level: p.access_level },
      ip: clientIp(c),
    });
    return c.json(memberEntity(row, user, base(c)), 201);
  });

  app.put("/projects/:id/members/:user_id{[0-9]+}", async (c) => {
    const p = parseParams(changeSchema, await readParams(c));
    const { project: seen } = loadProject(c, "read_members");
    const current = memberOf(c, seen.id);
    const { project, actor } = loadProject(c, "admin_members", {
      memberChange: { from: current.accessLevel, to: p.access_level },
    });
    const db = c.get("deps").store.db;
    if (leavesNoOwner(db, current, p.access_level)) throw forbidden("a project must keep at least one Owner");
    const row = c.get("deps").store.repos.members.update(project.id, current.userId, {
      accessLevel: p.access_level,
      expiresAt: p.expires_at,
    })!;
    audit(db, {
      action: "member_changed",
      actor,
      projectId: project.id,
      targetType: "User",
      targetId: current.userId,
      details: { from: current.accessLevel, to: p.access_level },
      ip: clientIp(c),
    });
    return c.json(memberEntity(row, findUserById(db, row.userId)!, base(c)));
  });

  app.delete("/projects/:id/members/:user_id{[0-9]+}", (c) => {
    const { project: seen, actor: viewer } = loadProject(c, "read_members");
    const current = memberOf(c, seen.id);
    const leaving = viewer?.user.id === current.userId;
    const { project, actor } = leaving
      ? loadProject(c, "leave_project")
      : loadProject(c, "admin_members", { memberChange: { from: current.accessLevel } });
    const db = c.get("deps").store.db;
    if (leavesNoOwner(db, current, null)) throw forbidden("a project must keep at least one Owner");
    c.get("deps").store.repos.members.delete(project.id, current.userId);
    audit(db, {
      action: "member_removed",
      actor,
      projectId: project.id,
      targetType: "User",
      targetId: current.userId,
      details: { access_level: current.accessLevel },
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });
  return app;
}
