// Job artifacts API (GitLab's paths): the zip, one file, by ref and job name, delete, keep; pipeline test reports.
import { Hono } from "hono";
import { mayDownloadArtifacts } from "../../auth/artifact-access.ts";
import { forbidden, notFound } from "../../domain/errors.ts";
import { pipelineTestSuites, testReportJson, testReportSummaryJson } from "../../queue/test-report.ts";
import { readZipFile, ZipRefused } from "../../shared/zip-archive.ts";
import { latestSuccessfulJob } from "../../store/latest-success.ts";
import type { JobRow } from "../../store/rows.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { jobEntity } from "../serializers/job.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { loadJob, loadPipeline, loadProject, type ProjectAccess } from "./guard.ts";

/** `artifacts:access`: `developer` needs Developer (or admin), `none` lets nobody download. */
function checkAccess(access: ProjectAccess, job: JobRow): void {
  if (!mayDownloadArtifacts(job.spec.artifacts?.access, access.level, access.actor?.user.admin ?? false))
    throw forbidden("The artifacts of this job may not be downloaded");
}

function archiveOf(c: ApiContext, job: JobRow): Uint8Array {
  const store = c.get("deps").artifacts;
  const row = store.find(job.id, "archive");
  const bytes = row && store.read(row);
  if (!bytes) throw notFound("Artifact");
  return bytes;
}

function zipResponse(c: ApiContext, job: JobRow) {
  const bytes = archiveOf(c, job);
  return c.body(new Uint8Array(bytes), 200, {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="artifacts.zip"`,
  });
}

function fileResponse(c: ApiContext, job: JobRow, path: string) {
  const limit = c.get("deps").artifacts.limits.maxBytes;
  let bytes: Uint8Array | null;
  try {
    bytes = readZipFile(archiveOf(c, job), path, limit);
  } catch (err) {
    if (err instanceof ZipRefused) throw notFound("Artifact");
    throw err;
  }
  if (!bytes) throw notFound("Artifact");
  const name =
    path
      .split("/")
      .pop()
      ?.replace(/["\\\r\n]/g, "_") ?? "file";
  return c.body(new Uint8Array(bytes), 200, {
    "Content-Type": "application/octet-stream",
    "Content-Disposition": `attachment; filename="${name}"`,
  });
}

/** The path after `prefix` in the request's URL, decoded (`*artifact_path` may hold slashes). */
function tail(c: ApiContext, marker: string): string {
  const path = new URL(c.req.url).pathname;
  const at = path.indexOf(marker);
  try {
    return decodeURIComponent(path.slice(at + marker.length));
  } catch {
    throw notFound("Artifact"); // a malformed %-escape names no file
  }
}

/** The newest successful pipeline's job called `?job=` on `:ref_name`. */
function jobByRef(c: ApiContext): ProjectAccess & { job: JobRow } {
  const access = loadProject(c, "read_job");
  const name = c.req.query("job");
  if (!name) throw notFound("Job");
  const job = latestSuccessfulJob(c.get("deps").store.db, access.project.id, c.req.param("ref_name") ?? "", name);
  if (!job) throw notFound("Job");
  return { ...access, job };
}

export function artifactRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/projects/:id/jobs/:job_id{[0-9]+}/artifacts", (c) => {
    const access = loadJob(c, "read_job");
    checkAccess(access, access.job);
    return zipResponse(c, access.job);
  });

  app.get("/projects/:id/jobs/:job_id{[0-9]+}/artifacts/*", (c) => {
    const access = loadJob(c, "read_job");
    checkAccess(access, access.job);
    return fileResponse(c, access.job, tail(c, `/jobs/${access.job.id}/artifacts/`));
  });

  app.get("/projects/:id/jobs/artifacts/:ref_name/download", (c) => {
    const access = jobByRef(c);
    checkAccess(access, access.job);
    return zipResponse(c, access.job);
  });

  app.get("/projects/:id/jobs/artifacts/:ref_name/raw/*", (c) => {
    const access = jobByRef(c);
    checkAccess(access, access.job);
    return fileResponse(c, access.job, tail(c, "/raw/"));
  });

  app.delete("/projects/:id/jobs/:job_id{[0-9]+}/artifacts", (c) => {
    const { job } = loadJob(c, "delete_job_artifacts");
    c.get("deps").artifacts.remove(job.id);
    return c.body(null, 204);
  });

  app.post("/projects/:id/jobs/:job_id{[0-9]+}/artifacts/keep", (c) => {
    const { job } = loadJob(c, "update_job");
    if (!c.get("deps").artifacts.find(job.id, "archive")) throw notFound("Artifact");
    c.get("deps").artifacts.keep(job.id);
    return c.json(jobEntity(job, lookupsFor(c.get("deps"))));
  });

  app.get("/projects/:id/pipelines/:pipeline_id{[0-9]+}/test_report", (c) => {
    const { pipeline } = loadPipeline(c, "read_pipeline");
    const deps = c.get("deps");
    return c.json(testReportJson(pipelineTestSuites(deps.store.db, deps.artifacts, pipeline.id)));
  });

  app.get("/projects/:id/pipelines/:pipeline_id{[0-9]+}/test_report_summary", (c) => {
    const { pipeline } = loadPipeline(c, "read_pipeline");
    const deps = c.get("deps");
    return c.json(testReportSummaryJson(pipelineTestSuites(deps.store.db, deps.artifacts, pipeline.id)));
  });

  return app;
}
