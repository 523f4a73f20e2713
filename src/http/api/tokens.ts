// Personal access tokens: list and show (own; admins all), revoke (own or admin, or `self`), create for a user (admin).
import { Hono } from "hono";
import { z } from "zod";
import type { Actor } from "../../auth/actor.ts";
import { audit } from "../../auth/audit.ts";
import { can } from "../../auth/permissions.ts";
import { createPersonalAccessToken, revokePersonalAccessToken, TOKEN_SCOPES, todayUtc } from "../../auth/tokens.ts";
import { findUserById } from "../../auth/users.ts";
import { notFound, refused } from "../../domain/errors.ts";
import type { TokenRow } from "../../store/rows.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zInt, zList, zText } from "../middleware/validate.ts";
import { personalAccessToken } from "../serializers/credentials.ts";
import { requireActor, requireGlobal } from "./guard.ts";

const listSchema = z.object({
  user_id: zInt().optional(),
  revoked: zBool().optional(),
  state: z.enum(["active", "inactive"]).optional(),
});
const createSchema = z.object({
  name: zText(),
  scopes: zList().pipe(z.array(z.enum(TOKEN_SCOPES)).min(1)),
  expires_at: zText().nullable().optional(),
});

/** The token row `id` if the actor may see it: their own, or any for admins. */
function visibleToken(c: ApiContext, actor: Actor, id: number): TokenRow {
  const row = c.get("deps").store.repos.tokens.findById(id);
  if (!row || (row.userId !== actor.user.id && !can(actor, "admin_users"))) throw notFound("Personal Access Token");
  return row;
}

export function tokenRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/personal_access_tokens", async (c) => {
    const actor = requireActor(c);
    const params = await readParams(c);
    const f = parseParams(listSchema, params);
    const page = pageOf(params);
    const admin = can(actor, "admin_users");
    const owner = admin ? f.user_id : actor.user.id;
    const { rows, total } = c
      .get("deps")
      .store.repos.tokens.page({ userId: owner, revoked: f.revoked, state: f.state, today: todayUtc() }, page);
    return paginated(
      c,
      page,
      total,
      rows.map((r) => personalAccessToken(r)),
    );
  });

  app.get("/personal_access_tokens/self", (c) => {
    const actor = requireActor(c);
    if (actor.tokenId === undefined) throw notFound("Personal Access Token");
    return c.json(personalAccessToken(visibleToken(c, actor, actor.tokenId)));
  });

  app.get("/personal_access_tokens/:token_id{[0-9]+}", (c) => {
    const actor = requireActor(c);
    return c.json(personalAccessToken(visibleToken(c, actor, Number(c.req.param("token_id")))));
  });

  app.delete("/personal_access_tokens/self", (c) => {
    const actor = requireActor(c);
    if (actor.tokenId === undefined) throw refused("only a personal access token can revoke itself");
    revokePersonalAccessToken(c.get("deps").store.db, actor.tokenId, actor.user.id);
    audit(c.get("deps").store.db, {
      action: "token_revoked",
      actor,
      targetType: "PersonalAccessToken",
      targetId: actor.tokenId,
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });

  app.delete("/personal_access_tokens/:token_id{[0-9]+}", (c) => {
    const actor = requireActor(c);
    const row = visibleToken(c, actor, Number(c.req.param("token_id")));
    revokePersonalAccessToken(c.get("deps").store.db, row.id);
    audit(c.get("deps").store.db, {
      action: "token_revoked",
      actor,
      targetType: "PersonalAccessToken",
      targetId: row.id,
      details: { user_id: row.userId },
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });

  app.post("/users/:user_id{[0-9]+}/personal_access_tokens", async (c) => {
    const actor = requireGlobal(c, "admin_users");
    const db = c.get("deps").store.db;
    const user = findUserById(db, Number(c.req.param("user_id")));
    if (!user) throw notFound("User");
    const p = parseParams(createSchema, await readParams(c));
    const { token, row } = createPersonalAccessToken(db, {
      userId: user.id,
      name: p.name,
      scopes: p.scopes,
      expiresAt: p.expires_at ?? null,
    });
    audit(db, {
      action: "token_created",
      actor,
      targetType: "PersonalAccessToken",
      targetId: row.id,
      details: { user_id: user.id, name: row.name, scopes: row.scopes },
      ip: clientIp(c),
    });
    return c.json(personalAccessToken(row, token), 201);
  });
  return app;
}
