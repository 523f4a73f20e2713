// The pipeline page's `artifacts:expose_as` links: one file's view when the job collects exactly one file path.
import type { ArtifactStore } from "../../../store/artifacts.ts";
import type { JobRow, ProjectRow } from "../../../store/rows.ts";
import { jobArtifactsUrl } from "../urls.ts";

export function exposedArtifacts(store: ArtifactStore, project: ProjectRow, jobs: JobRow[]) {
  return jobs.flatMap((job) => {
    const spec = job.spec.artifacts;
    if (!spec?.exposeAs || !store.find(job.id, "archive")) return [];
    const base = jobArtifactsUrl(project, job.id);
    const only = spec.paths.length === 1 && !/[*?[{]/.test(spec.paths[0]!) && !spec.paths[0]!.endsWith("/");
    const href = only
      ? `${base}/file/${spec.paths[0]!.split("/").map(encodeURIComponent).join("/")}`
      : `${base}/browse`;
    return [{ label: `${spec.exposeAs} (${job.name})`, href }];
  });
}
