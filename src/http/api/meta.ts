// GET /version and /metadata (the server's version) and GET /user (the signed-in user's own record).
import { Hono } from "hono";
import { externalUrl } from "../../config/schema.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { userWithAdmin } from "../serializers/user.ts";
import { requireActor } from "./guard.ts";

export function metaRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const metadata = (c: ApiContext) => {
    requireActor(c);
    const { version } = c.get("deps");
    return c.json({
      version,
      revision: "porthole",
      kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
      enterprise: false,
    });
  };
  app.get("/version", metadata);
  app.get("/metadata", metadata);
  app.get("/user", (c) => {
    const actor = requireActor(c);
    return c.json(userWithAdmin(actor.user, externalUrl(c.get("deps").config)));
  });
  return app;
}
