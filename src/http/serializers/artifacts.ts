// A job's artifact fields in GitLab's job JSON: `artifacts_file`, `artifacts[]` (the log included), `artifacts_expire_at`.
import type { JobArtifactRow, JobRow } from "../../store/rows.ts";
import { iso } from "./time.ts";

const fileName = (type: string) => (type === "archive" ? "artifacts.zip" : `${type}.zip`);

export function artifactFields(job: JobRow, rows: JobArtifactRow[]) {
  const archive = rows.find((r) => r.fileType === "archive");
  const files: { file_type: string; size: number; filename: string; file_format: string | null }[] = rows.map((r) => ({
    file_type: r.fileType,
    size: r.size,
    filename: fileName(r.fileType),
    file_format: "zip",
  }));
  if (job.traceSize > 0)
    files.push({ file_type: "trace", size: job.traceSize, filename: "job.log", file_format: null });
  return {
    ...(archive ? { artifacts_file: { filename: "artifacts.zip", size: archive.size } } : {}),
    artifacts: files,
    artifacts_expire_at: archive ? iso(archive.expireAt) : null,
  };
}
