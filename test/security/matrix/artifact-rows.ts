// The artifact routes (API and pages) of the permission matrix: a job with a stored archive, made per call where destructive.
import { eq } from "drizzle-orm";
import { writeZip } from "../../../src/shared/zip-archive.ts";
import { jobs, pipelines } from "../../../src/store/schema.ts";
import type { Row } from "./api-table.ts";
import { anyone, api, page } from "./expect.ts";
import type { PageRow } from "./page-table.ts";
import type { World } from "./world.ts";

/** A finished, successful pipeline whose first job has an archive holding `hello.txt`; returns the job id. */
async function jobWithArchive(w: World): Promise<number> {
  const p = await w.freshPipeline();
  const db = w.t.porthole.store.db;
  const id = p.jobs[0]!.id;
  db.update(jobs).set({ status: "success" }).where(eq(jobs.pipelineId, p.id)).run();
  db.update(pipelines).set({ status: "success" }).where(eq(pipelines.id, p.id)).run();
  const job = db.select().from(jobs).where(eq(jobs.id, id)).get()!;
  const zip = writeZip([
    { path: "hello.txt", mode: 0o644, data: new TextEncoder().encode("hi") },
    { path: "dir/inner.txt", mode: 0o644, data: new TextEncoder().encode("inner") },
  ]);
  w.t.porthole.artifacts.save(job, "archive", zip, null);
  return id;
}
let shared: number | undefined;
const readable = async (w: World) => (shared ??= await jobWithArchive(w));
const pid = (w: World) => `/projects/${w.project.id}`;
const nameOf = (w: World, id: number) =>
  w.t.porthole.store.db.select({ name: jobs.name }).from(jobs).where(eq(jobs.id, id)).get()!.name;

const pipelineOf = (w: World, id: number) =>
  w.t.porthole.store.db.select({ p: jobs.pipelineId }).from(jobs).where(eq(jobs.id, id)).get()!.p;

export const ARTIFACT_ROWS: Row[] = [
  // Runner endpoints: only a running job's CI_JOB_TOKEN answers; personal tokens and sessions are not job tokens.
  {
    route: "POST /api/v4/jobs/:job_id{[0-9]+}/artifacts",
    expect: anyone(401),
    call: async (w) => ({ path: `/jobs/${await readable(w)}/artifacts` }),
  },
  {
    route: "GET /api/v4/jobs/:job_id{[0-9]+}/artifacts",
    expect: anyone(401),
    call: async (w) => ({ path: `/jobs/${await readable(w)}/artifacts` }),
  },
  {
    route: "GET /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}/test_report",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${pipelineOf(w, await readable(w))}/test_report` }),
  },
  {
    route: "GET /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}/test_report_summary",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${pipelineOf(w, await readable(w))}/test_report_summary` }),
  },
  {
    route: "GET /api/v4/projects/:id/jobs/:job_id{[0-9]+}/artifacts",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/jobs/${await readable(w)}/artifacts` }),
  },
  {
    route: "GET /api/v4/projects/:id/jobs/:job_id{[0-9]+}/artifacts/*",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/jobs/${await readable(w)}/artifacts/hello.txt` }),
  },
  {
    route: "GET /api/v4/projects/:id/jobs/artifacts/:ref_name/download",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/jobs/artifacts/main/download?job=${nameOf(w, await readable(w))}` }),
  },
  {
    route: "GET /api/v4/projects/:id/jobs/artifacts/:ref_name/raw/*",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/jobs/artifacts/main/raw/hello.txt?job=${nameOf(w, await readable(w))}` }),
  },
  {
    route: "DELETE /api/v4/projects/:id/jobs/:job_id{[0-9]+}/artifacts",
    expect: api("maintainer", 204),
    call: async (w) => ({ path: `${pid(w)}/jobs/${await jobWithArchive(w)}/artifacts` }),
  },
  {
    route: "POST /api/v4/projects/:id/jobs/:job_id{[0-9]+}/artifacts/keep",
    expect: api("developer"),
    call: async (w) => ({ path: `${pid(w)}/jobs/${await jobWithArchive(w)}/artifacts/keep` }),
  },
];

const pagePath = async (w: World, rest: string) => `/${w.project.path}/-/jobs/${await readable(w)}/artifacts${rest}`;
const JOB_PAGE = "/:namespace/:project/-/jobs/:id{[0-9]+}/artifacts";

export const ARTIFACT_PAGE_ROWS: PageRow[] = [
  // Like the pipeline badge: everyone gets an image; those who may not see the project get `unknown`.
  {
    route: "GET /:namespace/:project/badges/:ref{.+}/coverage.svg",
    expect: anyone(200),
    call: (w) => ({ path: `/${w.project.path}/badges/main/coverage.svg` }),
  },
  {
    route: `GET ${JOB_PAGE}/download`,
    expect: page("reporter"),
    call: async (w) => ({ path: await pagePath(w, "/download") }),
  },
  {
    route: `GET ${JOB_PAGE}/browse`,
    expect: page("reporter"),
    call: async (w) => ({ path: await pagePath(w, "/browse") }),
  },
  {
    route: `GET ${JOB_PAGE}/browse/*`,
    expect: page("reporter"),
    call: async (w) => ({ path: await pagePath(w, "/browse/dir") }),
  },
  {
    route: `GET ${JOB_PAGE}/file/*`,
    expect: page("reporter"),
    call: async (w) => ({ path: await pagePath(w, "/file/dir/inner.txt") }),
  },
  {
    route: `GET ${JOB_PAGE}/raw/*`,
    expect: page("reporter"),
    call: async (w) => ({ path: await pagePath(w, "/raw/hello.txt") }),
  },
  {
    route: `POST ${JOB_PAGE}/keep`,
    expect: page("developer", 303),
    call: async (w) => ({ path: `/${w.project.path}/-/jobs/${await jobWithArchive(w)}/artifacts/keep` }),
  },
  {
    route: "GET /:namespace/:project/-/pipelines/:id{[0-9]+}/test_report",
    expect: page("reporter"),
    call: async (w) => ({ path: `/${w.project.path}/-/pipelines/${pipelineOf(w, await readable(w))}/test_report` }),
  },
];
