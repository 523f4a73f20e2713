// /users: list and show (any signed-in user; admins see more), create, update, delete, block and unblock (admins).
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../../auth/audit.ts";
import { can } from "../../auth/permissions.ts";
import { deleteUser, isLastAdmin, setUserState, updateUser } from "../../auth/user-admin.ts";
import { createUser, findUserById } from "../../auth/users.ts";
import { externalUrl } from "../../config/schema.ts";
import { conflict, forbidden, notFound } from "../../domain/errors.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { ParamsError } from "../middleware/errors.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zText } from "../middleware/validate.ts";
import { userEntity, userWithAdmin } from "../serializers/user.ts";
import { requireGlobal } from "./guard.ts";

const listSchema = z.object({
  username: zText().optional(),
  search: zText().optional(),
  active: zBool().optional(),
  blocked: zBool().optional(),
});
const createSchema = z.object({
  username: zText(),
  name: zText().optional(),
  email: zText().optional(),
  password: zText().optional(),
  force_random_password: zBool().optional(),
  reset_password: zBool().optional(),
  admin: zBool().optional(),
});
const updateSchema = z.object({
  username: zText().optional(),
  name: zText().optional(),
  email: zText().optional(),
  password: zText().optional(),
  admin: zBool().optional(),
});

function targetUser(c: ApiContext) {
  const id = Number(c.req.param("user_id"));
  const user = Number.isSafeInteger(id) ? findUserById(c.get("deps").store.db, id) : null;
  if (!user) throw notFound("User");
  return user;
}

export function userRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const base = (c: ApiContext) => externalUrl(c.get("deps").config);
  const show = (c: ApiContext) => (can(c.get("actor"), "admin_users") ? userWithAdmin : userEntity);

  app.get("/users", async (c) => {
    requireGlobal(c, "read_users");
    const params = await readParams(c);
    const f = parseParams(listSchema, params);
    const page = pageOf(params);
    const { rows, total } = c.get("deps").store.repos.users.page(f, page);
    const render = show(c);
    return paginated(
      c,
      page,
      total,
      rows.map((u) => render(u, base(c))),
    );
  });

  app.get("/users/:user_id{[0-9]+}", (c) => {
    requireGlobal(c, "read_users");
    return c.json(show(c)(targetUser(c), base(c)));
  });

  app.post("/users", async (c) => {
    const actor = requireGlobal(c, "admin_users");
    const p = parseParams(createSchema, await readParams(c));
    if (p.password === undefined && !p.force_random_password && !p.reset_password) {
      throw new ParamsError(
        "password, reset_password, force_random_password are missing, exactly one parameter must be provided",
      );
    }
    const { user } = await createUser(c.get("deps").store.db, { ...p, password: p.password });
    audit(c.get("deps").store.db, {
      action: "user_created",
      actor,
      targetType: "User",
      targetId: user.id,
      details: { username: user.username, admin: user.admin },
      ip: clientIp(c),
    });
    return c.json(userWithAdmin(user, base(c)), 201);
  });

  app.put("/users/:user_id{[0-9]+}", async (c) => {
    const actor = requireGlobal(c, "admin_users");
    const target = targetUser(c);
    const patch = parseParams(updateSchema, await readParams(c));
    if (Object.values(patch).every((v) => v === undefined))
      throw new ParamsError(
        `${Object.keys(updateSchema.shape).join(", ")} are missing, at least one parameter must be provided`,
      );
    const db = c.get("deps").store.db;
    if (patch.admin === false && isLastAdmin(db, target.id))
      throw forbidden("the last administrator cannot be demoted");
    const user = await updateUser(db, target.id, patch);
    // A user's projects live in their namespace: a new username moves them (their URLs change, as in GitLab).
    if (user.username !== target.username) {
      c.get("deps").store.repos.projects.moveNamespace(target.username, user.username);
    }
    audit(db, {
      action: "user_updated",
      actor,
      targetType: "User",
      targetId: user.id,
      details: { fields: Object.keys(patch) },
      ip: clientIp(c),
    });
    return c.json(userWithAdmin(user, base(c)));
  });

  app.delete("/users/:user_id{[0-9]+}", (c) => {
    const actor = requireGlobal(c, "admin_users");
    const target = targetUser(c);
    const db = c.get("deps").store.db;
    if (target.id === actor.user.id || isLastAdmin(db, target.id))
      throw forbidden("you cannot delete yourself or the last administrator");
    if (c.get("deps").store.repos.projects.hasAnyInNamespace(target.username))
      throw conflict(`${target.username} still has projects in their namespace; delete those first`);
    deleteUser(db, target.id);
    audit(db, {
      action: "user_deleted",
      actor,
      targetType: "User",
      targetId: target.id,
      details: { username: target.username },
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });

  for (const [verb, state] of [
    ["block", "blocked"],
    ["unblock", "active"],
  ] as const) {
    app.post(`/users/:user_id{[0-9]+}/${verb}`, (c) => {
      const actor = requireGlobal(c, "admin_users");
      const target = targetUser(c);
      const db = c.get("deps").store.db;
      if (state === "blocked" && (target.id === actor.user.id || isLastAdmin(db, target.id))) {
        throw forbidden("you cannot block yourself or the last administrator");
      }
      setUserState(db, target.id, state);
      audit(db, {
        action: `user_${state === "blocked" ? "blocked" : "unblocked"}`,
        actor,
        targetType: "User",
        targetId: target.id,
        ip: clientIp(c),
      });
      return c.json(true, 201);
    });
  }
  return app;
}
