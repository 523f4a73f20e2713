// `POST /jobs/request`: a runner asks for a job; held (long poll) until one is queued for it or the wait ends (204).
import { Hono } from "hono";
import { z } from "zod";
import { externalUrl } from "../../../config/schema.ts";
import type { ApiEnv } from "../../env.ts";
import { readParams } from "../../middleware/params.ts";
import { parseParams, zText } from "../../middleware/validate.ts";
import { authenticateRunnerCall, remoteJobs, runnerInfoSchema } from "./auth.ts";
import { gitlabJobPayload } from "./job-payload.ts";

const httpUrl = zText().refine((v) => /^https?:\/\/[^\s]+$/.test(v));
const requestSchema = z.object({
  token: zText(),
  info: runnerInfoSchema,
  system_id: zText().optional(),
  last_update: zText().optional(),
  session: z
    .object({ url: httpUrl, certificate: zText().optional(), authorization: zText().optional() })
    .optional()
    .nullable(),
});

export function jobsRequestRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post("/jobs/request", async (c) => {
    const p = parseParams(requestSchema, await readParams(c));
    const runner = authenticateRunnerCall(c, p.token, p.info);
    const remote = remoteJobs(c);
    const empty = () => {
      c.header("X-GitLab-Last-Update", remote.lastUpdate());
      return c.body(null, 204);
    };
    if (runner.paused) return empty();
    c.env?.server?.timeout(c.req.raw, 0); // a long poll is not an idle client: lift Bun's 10 s idle timeout
    const signals = [c.req.raw.signal, c.env?.stopping].filter((s): s is AbortSignal => s !== undefined);
    const session = p.session
      ? { url: p.session.url, certificate: p.session.certificate ?? "", authorization: p.session.authorization ?? "" }
      : null;
    const twoPhase = p.info?.features?.two_phase_job_commit === true;
    const got = await remote.request(runner, { session, twoPhase, signal: AbortSignal.any(signals) });
    if (!got) return empty();
    return c.json(gitlabJobPayload(got.payload, got.job, externalUrl(c.get("deps").config)), 201);
  });
  return app;
}
