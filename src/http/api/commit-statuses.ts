// Commit statuses: outside systems set them (`POST …/statuses/:sha`); a commit's list holds them and its CI jobs.
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../domain/errors.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zInt, zText } from "../middleware/validate.ts";
import { commitStatusEntity, jobStatusEntity } from "../serializers/commit-status.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { loadProject, type ProjectAccess } from "./guard.ts";

const STATES = ["pending", "running", "success", "failed", "canceled", "skipped"] as const;
const zHttpUrl = () =>
  zText().refine(
    (v) => /^https?:\/\/[^\s]+$/i.test(v) && v.length <= 2048,
    "an http(s) URL of at most 2048 characters",
  );
const zNumber = () => z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), z.number());

const setSchema = z.object({
  state: z.enum(STATES),
  ref: zText().pipe(z.string().min(1).max(255)).optional(),
  name: zText().pipe(z.string().min(1).max(255)).optional(),
  context: zText().pipe(z.string().min(1).max(255)).optional(),
  target_url: zHttpUrl().optional(),
  description: zText().pipe(z.string().max(1000)).optional(),
  coverage: zNumber().optional(),
  pipeline_id: zInt().optional(),
});
const listSchema = z.object({
  ref: zText().optional(),
  name: zText().optional(),
  stage: zText().optional(),
  all: zBool().optional(),
  pipeline_id: zInt().optional(),
});

/** The commit statuses repository of the request's store. */
export const statusesOf = (c: ApiContext) => c.get("deps").store.repos.commitStatuses;

/** The full sha `given` names in the project: a commit of its mirror, or (without a repository) a pipeline's sha. */
async function resolveSha(c: ApiContext, access: ProjectAccess, given: string): Promise<string | null> {
  const repo = await c.get("deps").pipelines.repository(access.project.id, access.actor?.user.id ?? null);
  if (repo) return (await repo.commit(given))?.id ?? null;
  return statusesOf(c).latestPipeline(access.project.id, { sha: given })?.sha ?? null;
}

export function commitStatusRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/projects/:id/statuses/:sha{[^/]+}", async (c) => {
    const p = parseParams(setSchema, await readParams(c));
    const access = loadProject(c, "create_commit_status");
    const sha = await resolveSha(c, access, c.req.param("sha"));
    if (!sha) throw notFound("Commit");
    const ref = p.ref ?? statusesOf(c).latestPipeline(access.project.id, { sha })?.ref ?? access.project.defaultBranch;
    let pipelineId = statusesOf(c).latestPipeline(access.project.id, { sha, ref })?.id ?? null;
    if (p.pipeline_id !== undefined) {
      const named = statusesOf(c).latestPipeline(access.project.id, { id: p.pipeline_id, sha });
      if (!named) throw notFound("Pipeline");
      pipelineId = named.id;
    }
    const row = statusesOf(c).set({
      projectId: access.project.id,
      sha,
      ref,
      name: p.name ?? p.context ?? "default",
      status: p.state,
      targetUrl: p.target_url,
      description: p.description,
      coverage: p.coverage,
      pipelineId,
      userId: access.actor?.user.id ?? null,
    });
    return c.json(commitStatusEntity(row, lookupsFor(c.get("deps"))), 201);
  });

  app.get("/projects/:id/repository/commits/:sha{[^/]+}/statuses", async (c) => {
    const params = await readParams(c);
    const f = parseParams(listSchema, params);
    const page = pageOf(params);
    const access = loadProject(c, "read_pipeline");
    const sha = await resolveSha(c, access, c.req.param("sha"));
    if (!sha) throw notFound("Commit");
    const look = lookupsFor(c.get("deps"));
    const jobs = statusesOf(c)
      .jobsOfSha(access.project.id, sha, { ref: f.ref, all: f.all })
      .filter((j) => (!f.name || j.name === f.name) && (!f.stage || j.stage === f.stage))
      .filter((j) => f.pipeline_id === undefined || j.pipelineId === f.pipeline_id)
      .map((j) => jobStatusEntity(j, look));
    const external = f.stage
      ? []
      : statusesOf(c)
          .ofSha(access.project.id, sha, { ref: f.ref, name: f.name })
          .filter((s) => f.pipeline_id === undefined || s.pipelineId === f.pipeline_id)
          .map((s) => commitStatusEntity(s, look));
    const all = [...jobs, ...external];
    return paginated(c, page, all.length, all.slice(page.offset, page.offset + page.perPage));
  });
  return app;
}
