// Pipeline reads clients offer beside the basics: the latest pipeline of a ref, a pipeline's variables, lint at a ref.
import { Hono } from "hono";
import { z } from "zod";
import { badRequest, notFound } from "../../domain/errors.ts";
import type { ApiEnv } from "../env.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zText } from "../middleware/validate.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { pipelineEntity } from "../serializers/pipeline.ts";
import { statusesOf } from "./commit-statuses.ts";
import { loadPipeline, loadProject } from "./guard.ts";

/** GitLab's limit for a CI configuration file. */
const MAX_CI_CONFIG_BYTES = 2 * 1024 * 1024;
const latestSchema = z.object({ ref: zText().optional() });
const lintAtRefSchema = z.object({
  content_ref: zText().optional(),
  sha: zText().optional(),
  ref: zText().optional(),
});

export function pipelineReadRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/projects/:id/pipelines/latest", async (c) => {
    const { ref } = parseParams(latestSchema, await readParams(c));
    const { project } = loadProject(c, "read_pipeline");
    const pipeline = statusesOf(c).latestPipeline(project.id, { ref: ref ?? project.defaultBranch });
    if (!pipeline) throw notFound("Pipeline");
    return c.json(pipelineEntity(pipeline, lookupsFor(c.get("deps"))));
  });

  app.get("/projects/:id/pipelines/:pipeline_id{[0-9]+}/variables", (c) => {
    const { pipeline } = loadPipeline(c, "read_pipeline_variables");
    return c.json(
      pipeline.variables.map((v) => ({ key: v.key, value: v.value, variable_type: "env_var", raw: false })),
    );
  });

  /** Lints the project's own CI file at `content_ref` (or `sha`, `ref`; the default branch when none is given). */
  app.get("/projects/:id/ci/lint", async (c) => {
    const p = parseParams(lintAtRefSchema, await readParams(c));
    const access = loadProject(c, "lint_ci");
    const { project } = access;
    const deps = c.get("deps");
    const userId = access.actor?.user.id ?? null;
    const ref = p.content_ref ?? p.sha ?? p.ref ?? project.defaultBranch;
    let content = project.ciConfig;
    const repo = await deps.pipelines.repository(project.id, userId);
    if (repo) {
      const file = await repo.file(ref, project.ciConfigPath);
      if (!file) throw notFound(`${project.ciConfigPath} at ${ref}`);
      if (file.size > MAX_CI_CONFIG_BYTES) throw badRequest(`${project.ciConfigPath} is larger than 2 MB`);
      content = Buffer.from(await file.read()).toString("utf8");
    }
    if (content === null) throw notFound(project.ciConfigPath);
    const result = await deps.pipelines.lint(project.id, content, userId);
    return c.json({ ...result, includes: result.includes ?? [] });
  });
  return app;
}
