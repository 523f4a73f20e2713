// GET /version and GET /user: the server's version and the signed-in user's own record.
import { Hono } from "hono";
import { externalUrl } from "../../config/schema.ts";
import type { ApiEnv } from "../env.ts";
import { userWithAdmin } from "../serializers/user.ts";
import { requireActor } from "./guard.ts";

export function metaRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/version", (c) => {
    requireActor(c);
    const { version } = c.get("deps");
    return c.json({
      version,
      revision: "porthole",
      kas: { enabled: false, externalUrl: null, version: null },
      enterprise: false,
    });
  });
  app.get("/user", (c) => {
    const actor = requireActor(c);
    return c.json(userWithAdmin(actor.user, externalUrl(c.get("deps").config)));
  });
  return app;
}
