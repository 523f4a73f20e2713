// The job page's artifacts card: when they expire, Download, Browse and Keep.
/** @jsxImportSource hono/jsx */
import type { JobArtifactRow, JobRow, ProjectRow } from "../../../store/rows.ts";
import { jobArtifactsUrl } from "../urls.ts";
import { ActionButton } from "../views/form.tsx";
import { Icon } from "../views/icons.tsx";

export interface JobArtifactsPanelProps {
  project: ProjectRow;
  job: JobRow;
  /** The job's stored archive, when it has one that has not expired. */
  archive: JobArtifactRow | null;
  /** Its stored reports (junit, dotenv, codequality, …), each downloadable as a zip. */
  reports: JobArtifactRow[];
  canUpdate: boolean;
  csrfToken: string;
}

export function JobArtifactsPanel(props: JobArtifactsPanelProps) {
  const { archive, job, project } = props;
  if (!archive && props.reports.length === 0) return null;
  const base = jobArtifactsUrl(project, job.id);
  return (
    <section class="card" data-artifacts>
      <h2>Job artifacts</h2>
      {archive && (
        <>
          <p class="muted">
            {archive.expireAt ? (
              <>
                These artifacts expire on{" "}
                <time datetime={archive.expireAt.toISOString()}>
                  {archive.expireAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                </time>
                .
              </>
            ) : (
              "These artifacts are kept."
            )}
          </p>
          <div class="actions">
            <a class="btn btn-sm" href={`${base}/download`} data-artifacts-download>
              Download
            </a>
            <a class="btn btn-sm" href={`${base}/browse`} data-artifacts-browse>
              <Icon name="commit" />
              Browse
            </a>
            {archive.expireAt && props.canUpdate && (
              <ActionButton action={`${base}/keep`} label="Keep" small csrfToken={props.csrfToken} />
            )}
          </div>
        </>
      )}
      {props.reports.length > 0 && (
        <ul class="plain" data-artifact-reports>
          {props.reports.map((r) => (
            <li>
              <a href={`${base}/download?file_type=${encodeURIComponent(r.fileType)}`}>{r.fileType} report</a>{" "}
              <span class="muted">({r.size} bytes)</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
