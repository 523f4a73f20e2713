// Runner registration as gitlab-runner calls it: verify a `glrt-` token, legacy registration, unregister, token reset.
import { Hono } from "hono";
import { z } from "zod";
import { createRunner } from "../../../auth/runner-tokens.ts";
import { constantTimeEqual, hashToken, newToken } from "../../../auth/secrets.ts";
import { forbidden } from "../../../domain/errors.ts";
import type { ApiEnv } from "../../env.ts";
import { readParams } from "../../middleware/params.ts";
import { parseParams, zBool, zList, zText } from "../../middleware/validate.ts";
import { authenticateRunnerCall, repos, runnerInfoSchema } from "./auth.ts";

const tokenOnly = z.object({ token: zText(), system_id: zText().optional(), info: runnerInfoSchema });
const registerSchema = z.object({
  token: zText(),
  description: zText().optional(),
  info: runnerInfoSchema,
  active: zBool().optional(),
  paused: zBool().optional(),
  run_untagged: zBool().optional(),
  tag_list: zList().optional(),
});

const details = (id: number, token: string) => ({ id, token, token_expires_at: null });

export function registrationRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  // `gitlab-runner register` with a `glrt-` token, and `gitlab-runner verify`.
  app.post("/runners/verify", async (c) => {
    const p = parseParams(tokenOnly, await readParams(c));
    const runner = authenticateRunnerCall(c, p.token, p.info);
    return c.json(details(runner.id, p.token), 200);
  });

  // Legacy registration with the instance's registration token (runner_api.registration_token; off when empty).
  app.post("/runners", async (c) => {
    const p = parseParams(registerSchema, await readParams(c));
    const expected = c.get("deps").config.runner_api.registration_token;
    if (!expected || !constantTimeEqual(hashToken(expected), hashToken(p.token))) throw forbidden();
    const db = c.get("deps").store.db;
    const { token, row } = createRunner(db, {
      description: p.description ?? p.info?.name ?? "",
      tags: p.tag_list,
      runUntagged: p.run_untagged,
      paused: p.paused ?? (p.active === undefined ? undefined : !p.active),
    });
    repos(c).runners.recordContact(row.id, { ...p.info }, new Date());
    return c.json(details(row.id, token), 201);
  });

  // `gitlab-runner unregister`.
  app.delete("/runners", async (c) => {
    const p = parseParams(tokenOnly, await readParams(c));
    const runner = authenticateRunnerCall(c, p.token);
    repos(c).runners.delete(runner.id);
    return c.body(null, 204);
  });

  app.post("/runners/reset_authentication_token", async (c) => {
    const p = parseParams(tokenOnly, await readParams(c));
    const runner = authenticateRunnerCall(c, p.token);
    const token = newToken("glrt");
    repos(c).runners.replaceTokenHash(runner.id, hashToken(token));
    return c.json({ token, token_expires_at: null }, 201);
  });
  return app;
}
