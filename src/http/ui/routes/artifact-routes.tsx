// Artifact pages: download the zip, browse its tree, view a text file, download one file, keep; the Tests tab.
/** @jsxImportSource hono/jsx */
import { mayDownloadArtifacts } from "../../../auth/artifact-access.ts";
import { forbidden, notFound } from "../../../domain/errors.ts";
import { pipelineTestSuites } from "../../../queue/test-report.ts";
import { listZip, readZipFile, ZipRefused } from "../../../shared/zip-archive.ts";
import { allowed, routeJob, routePipeline } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { ArtifactBrowsePage, ArtifactFilePage } from "../pages/job-artifacts-browse.tsx";
import { PipelineTestsPage } from "../pages/pipeline-tests.tsx";
import { renderPage } from "../render.tsx";
import { jobUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";

const ARTIFACTS = "/:namespace/:project/-/jobs/:id{[0-9]+}/artifacts";
/** Text files up to this size are shown in the page; larger ones are offered for download. */
const VIEW_BYTES = 1024 * 1024;

/** The job's archive (`type`: a report's zip instead) if the visitor may download it; 404 when there is none. */
function loadArtifacts(c: UiContext, action: "read_job" | "update_job" = "read_job", type = "archive") {
  const { job, ...access } = routeJob(c, action);
  if (!mayDownloadArtifacts(job.spec.artifacts?.access, access.level, access.actor?.user.admin ?? false))
    throw forbidden("The artifacts of this job may not be downloaded");
  const store = c.get("deps").artifacts;
  const row = store.find(job.id, type);
  const zip = row ? store.read(row) : null;
  if (!row || !zip) throw notFound("Artifacts");
  return { ...access, job, row, zip };
}

/** The `*` part of the route: the path inside the archive. */
function innerPath(c: UiContext, marker: string): string {
  const path = new URL(c.req.url).pathname;
  const at = path.indexOf(marker);
  if (at < 0) return "";
  try {
    return decodeURIComponent(path.slice(at + marker.length)).replace(/\/+$/, "");
  } catch {
    throw notFound("File"); // a malformed %-escape names no file
  }
}

function fileOf(c: UiContext, zip: Uint8Array, path: string): Uint8Array {
  try {
    const bytes = readZipFile(zip, path, c.get("deps").artifacts.limits.maxBytes);
    if (bytes) return bytes;
  } catch (err) {
    if (!(err instanceof ZipRefused)) throw err;
  }
  throw notFound("File");
}

/** `artifacts:name` as the download's file name (GitLab's default: `artifacts`); names with variables get the default. */
const zipName = (name: string | undefined) => (name && /^[\w.-]{1,100}$/.test(name) ? name : "artifacts");

/** UTF-8 text without NUL bytes, or null for a binary file. */
function asText(bytes: Uint8Array): string | null {
  if (bytes.length > VIEW_BYTES || bytes.includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function addArtifactRoutes(r: PageRouter): void {
  r.get(`${ARTIFACTS}/download`, (c) => {
    const type = c.req.query("file_type") ?? "archive";
    const { zip, job } = loadArtifacts(c, "read_job", type);
    const name = type === "archive" ? zipName(job.spec.artifacts?.name) : `${type.replace(/[^a-z_]/g, "")}-report`;
    return c.body(new Uint8Array(zip), 200, {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${name}.zip"`,
    });
  });

  const browse = (c: UiContext) => {
    const { zip, job, project, ...access } = loadArtifacts(c);
    const dir = innerPath(c, "/artifacts/browse/");
    const entries = listZip(zip);
    const canAdmin = allowed({ project, ...access }, "admin_variables");
    const page = <ArtifactBrowsePage project={project} job={job} dir={dir} entries={entries} canAdmin={canAdmin} />;
    if (dir && !entries.some((e) => e.startsWith(`${dir}/`))) throw notFound("Directory");
    return renderPage(c, `Artifacts · ${job.name}`, page);
  };
  r.get(`${ARTIFACTS}/browse`, browse);
  r.get(`${ARTIFACTS}/browse/*`, browse);

  r.get(`${ARTIFACTS}/file/*`, (c) => {
    const { zip, job, project, ...access } = loadArtifacts(c);
    const path = innerPath(c, "/artifacts/file/");
    const bytes = fileOf(c, zip, path);
    const canAdmin = allowed({ project, ...access }, "admin_variables");
    const page = (
      <ArtifactFilePage
        project={project}
        job={job}
        path={path}
        size={bytes.length}
        text={asText(bytes)}
        canAdmin={canAdmin}
      />
    );
    return renderPage(c, `${path} · Artifacts`, page);
  });

  r.get(`${ARTIFACTS}/raw/*`, (c) => {
    const { zip } = loadArtifacts(c);
    const path = innerPath(c, "/artifacts/raw/");
    const bytes = fileOf(c, zip, path);
    const name =
      path
        .split("/")
        .pop()
        ?.replace(/["\\\r\n]/g, "_") ?? "file";
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="${name}"`,
    });
  });

  r.post(`${ARTIFACTS}/keep`, (c) => {
    const { job, project } = loadArtifacts(c, "update_job");
    c.get("deps").artifacts.keep(job.id);
    setFlash(c, "notice", "The artifacts will be kept.");
    return c.redirect(jobUrl(project, job.id), 303);
  });

  r.get("/:namespace/:project/-/pipelines/:id{[0-9]+}/test_report", (c) => {
    const { pipeline, ...access } = routePipeline(c, "read_pipeline");
    const { store, artifacts } = c.get("deps");
    const suites = pipelineTestSuites(store.db, artifacts, pipeline.id);
    return renderPage(
      c,
      `Tests · Pipeline #${pipeline.id}`,
      <PipelineTestsPage
        project={access.project}
        pipeline={pipeline}
        suites={suites}
        canAdmin={allowed(access, "admin_variables")}
      />,
    );
  });
}
