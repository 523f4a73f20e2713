// GitLab's runner artifact endpoints: `POST /jobs/:id/artifacts` (multipart upload) and `GET /jobs/:id/artifacts`
// (a dependency's archive), both with the running job's JOB-TOKEN, into the same store the embedded runner uses.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ArtifactRefused } from "../../domain/artifacts.ts";
import { badRequest, forbidden, unauthorized } from "../../domain/errors.ts";
import { dependencyArchive, storeUpload } from "../../queue/job-artifacts.ts";
import { repositoriesOf } from "../../store/repositories.ts";
import type { ApiContext, ApiEnv } from "../env.ts";

/** The path this router's upload route answers (the API's general body limit leaves it to the route's own). */
export const RUNNER_UPLOAD_PATH = /^\/api\/v4\/jobs\/\d+\/artifacts$/;
const TYPE = /^[a-z_]{1,40}$/;
/** Multipart framing around the archive. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** The running job whose JOB-TOKEN came with the request. */
function tokenJob(c: ApiContext): number {
  const actor = c.get("actor");
  if (actor?.via !== "job" || actor.jobId === undefined) throw unauthorized();
  return actor.jobId;
}

const refusal = (c: ApiContext, err: ArtifactRefused) =>
  c.json({ message: `${err.status} ${err.message}` }, err.status as 400 | 403 | 404 | 410 | 413 | 500 | 507);

export function runnerArtifactRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/jobs/:job_id{[0-9]+}/artifacts", async (c, next) => {
    const limit = c.get("deps").artifacts.limits.maxBytes + MULTIPART_OVERHEAD;
    return bodyLimit({ maxSize: limit, onError: (c) => c.json({ message: "413 Request Entity Too Large" }, 413) })(
      c,
      next,
    );
  });
  app.post("/jobs/:job_id{[0-9]+}/artifacts", async (c) => {
    const jobId = tokenJob(c);
    if (Number(c.req.param("job_id")) !== jobId) throw forbidden("the job token belongs to another job");
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File)) throw badRequest("file is missing");
    // gitlab-runner sends the type as a query parameter; a form field works too.
    const field = typeof body.artifact_type === "string" ? body.artifact_type : undefined;
    const type = c.req.query("artifact_type") ?? field ?? "archive";
    if (!TYPE.test(type)) throw badRequest("artifact_type is invalid");
    const deps = c.get("deps");
    try {
      storeUpload({ repos: repositoriesOf(deps.store.db), artifacts: deps.artifacts }, jobId, {
        type,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
    } catch (err) {
      if (err instanceof ArtifactRefused) return refusal(c, err);
      throw err;
    }
    return c.json({}, 201);
  });

  app.get("/jobs/:job_id{[0-9]+}/artifacts", (c) => {
    const jobId = tokenJob(c);
    const deps = c.get("deps");
    try {
      const zip = dependencyArchive(
        { repos: repositoriesOf(deps.store.db), artifacts: deps.artifacts },
        jobId,
        Number(c.req.param("job_id")),
      );
      if (!zip) return c.json({ message: "404 Not Found" }, 404);
      return c.body(new Uint8Array(zip), 200, { "Content-Type": "application/zip" });
    } catch (err) {
      if (err instanceof ArtifactRefused) return refusal(c, err);
      throw err;
    }
  });

  return app;
}
