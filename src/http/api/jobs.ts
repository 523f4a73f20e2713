// Jobs: pipeline and project job lists (`scope[]`), show, raw trace, cancel, retry, play; `GET /job` for job tokens.
import { Hono } from "hono";
import { z } from "zod";
import { notFound, unauthorized } from "../../domain/errors.ts";
import { JOB_STATUSES, type JobStatus } from "../../domain/status.ts";
import { rawLogStream } from "../../logs/raw-log.ts";
import type { JobListFilters } from "../../store/jobs.ts";
import type { PipelineRow } from "../../store/rows.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool } from "../middleware/validate.ts";
import { bridgeEntity, jobEntity } from "../serializers/job.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { loadJob, loadPipeline, loadProject, requireActor } from "./guard.ts";
import { continueJob, retryBreakpoint } from "./job-debug.ts";
import { pipelineVariables } from "./pipeline-variables.ts";

const scopeValue = z.enum(JOB_STATUSES);
const listSchema = z.object({
  scope: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(scopeValue)).optional(),
  include_retried: zBool().optional(),
});

function statusesOf(scope: z.infer<typeof listSchema>["scope"]): JobStatus[] | null {
  if (scope === undefined) return null;
  return scope;
}

export function jobRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  async function list(
    c: ApiContext,
    of: JobListFilters["of"],
    includeRetried: boolean,
    newestFirst: boolean,
    kind: "build" | "bridge" = "build",
  ) {
    const params = await readParams(c);
    const f = parseParams(listSchema, params);
    const page = pageOf(params);
    const { rows, total } = c.get("deps").store.repos.jobs.page(
      {
        of,
        statuses: statusesOf(f.scope) ?? undefined,
        includeRetried: f.include_retried ?? includeRetried,
        newestFirst,
        kind,
      },
      page,
    );
    const look = lookupsFor(c.get("deps"));
    if (kind === "build")
      return paginated(
        c,
        page,
        total,
        rows.map((j) => jobEntity(j, look)),
      );
    const downstream = new Map<number, PipelineRow>();
    for (const p of c.get("deps").store.repos.pipelines.downstreamOf(rows.map((r) => r.id)))
      if (p.upstreamJobId !== null && !downstream.has(p.upstreamJobId)) downstream.set(p.upstreamJobId, p);
    return paginated(
      c,
      page,
      total,
      rows.map((b) => bridgeEntity(b, downstream.get(b.id) ?? null, look)),
    );
  }

  app.get("/projects/:id/pipelines/:pipeline_id{[0-9]+}/jobs", (c) => {
    const { pipeline } = loadPipeline(c, "read_job");
    return list(c, { pipelineId: pipeline.id }, false, false);
  });

  /** GitLab's bridges of a pipeline (its trigger jobs), retried ones included, each with `downstream_pipeline`. */
  app.get("/projects/:id/pipelines/:pipeline_id{[0-9]+}/bridges", (c) => {
    const { pipeline } = loadPipeline(c, "read_job");
    return list(c, { pipelineId: pipeline.id }, true, false, "bridge");
  });

  app.get("/projects/:id/jobs", (c) => {
    const { project } = loadProject(c, "read_job");
    return list(c, { projectId: project.id }, true, true);
  });

  app.get("/projects/:id/jobs/:job_id{[0-9]+}", (c) => {
    const { job } = loadJob(c, "read_job");
    return c.json(jobEntity(job, lookupsFor(c.get("deps"))));
  });

  app.get("/projects/:id/jobs/:job_id{[0-9]+}/trace", (c) => {
    const { job } = loadJob(c, "read_job_log");
    return c.body(rawLogStream(c.get("deps").traces, job.id), 200, { "Content-Type": "text/plain; charset=utf-8" });
  });

  app.post("/projects/:id/jobs/:job_id{[0-9]+}/cancel", (c) => {
    const { job } = loadJob(c, "update_job");
    return c.json(jobEntity(c.get("deps").pipelines.cancelJob(job.id), lookupsFor(c.get("deps"))), 201);
  });

  app.post("/projects/:id/jobs/:job_id{[0-9]+}/retry", async (c) => {
    const params = await readParams(c);
    const { job, ...access } = loadJob(c, "update_job");
    const breakpoint = retryBreakpoint(access, params.debug_breakpoint);
    const row = c.get("deps").pipelines.retryJob(job.id, access.actor?.user.id ?? null, breakpoint);
    return c.json(jobEntity(row, lookupsFor(c.get("deps"))), 201);
  });

  // Porthole's own: ends a debug wait (breakpoint or failed script) at once, as Tekton's "continue" does.
  app.post("/projects/:id/jobs/:job_id{[0-9]+}/continue", async (c) => {
    const { job } = loadJob(c, "open_terminal");
    await continueJob(c.get("deps"), job);
    return c.json(jobEntity(job, lookupsFor(c.get("deps"))), 200);
  });

  // GitLab plays manual bridges through this route too.
  app.post("/projects/:id/jobs/:job_id{[0-9]+}/play", async (c) => {
    const params = await readParams(c);
    const { job, actor } = loadJob(c, "update_job", ["build", "bridge"]);
    const variables = pipelineVariables(params.job_variables_attributes, "job_variables_attributes");
    const row = c.get("deps").pipelines.playJob(job.id, actor?.user.id ?? null, variables);
    const look = lookupsFor(c.get("deps"));
    return c.json(row.kind === "bridge" ? bridgeEntity(row, null, look) : jobEntity(row, look), 200);
  });

  app.get("/job", (c) => {
    const actor = requireActor(c);
    // GitLab answers 401 here for anything but a running job's CI_JOB_TOKEN.
    if (actor.via !== "job" || actor.jobId === undefined) throw unauthorized();
    const row = c.get("deps").store.repos.jobs.findById(actor.jobId);
    if (!row) throw notFound("Job");
    return c.json(jobEntity(row, lookupsFor(c.get("deps"))));
  });
  return app;
}
