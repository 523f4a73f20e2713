// Admin area, Terminal sessions: the audit of who opened which job's terminal, from where, when, and how it ended.
/** @jsxImportSource hono/jsx */
import type { TerminalSessionRow } from "../../../store/rows.ts";
import { jobUrl } from "../urls.ts";
import { byteSize, humanDuration, secondsBetween } from "../views/format.ts";
import { ListTable } from "../views/list-table.tsx";
import { type PageInfo, Pagination } from "../views/pagination.tsx";
import { TimeAgo } from "../views/time.tsx";
import { AdminNav } from "./admin-nav.tsx";

export interface TerminalAuditItem {
  session: TerminalSessionRow;
  username: string | null;
  project: { namespace: string; path: string } | null;
}

/** The API download of a session's asciicast recording (cookie sessions may read the API). */
const recordingUrl = (s: TerminalSessionRow) => `/api/v4/projects/${s.projectId}/terminal_sessions/${s.id}/recording`;

export function AdminTerminalsPage(props: {
  items: TerminalAuditItem[];
  pageInfo: PageInfo;
  href: (page: number) => string;
  /** The recordings kept under data_dir and for how long (`terminal.recording_retention`, 0: kept). */
  recordings: { files: number; bytes: number; retentionDays: number };
}) {
  const { files, bytes, retentionDays } = props.recordings;
  return (
    <>
      <AdminNav tab="terminals" title="Terminal sessions" />
      <p class="muted recordings-total">
        Recordings: {files} {files === 1 ? "file" : "files"}, {byteSize(bytes)} ·{" "}
        {retentionDays > 0
          ? `removed ${retentionDays} ${retentionDays === 1 ? "day" : "days"} after their last write (daily cleanup)`
          : "kept until removed (terminal.recording_retention is 0)"}
      </p>
      {props.items.length === 0 ? (
        <div class="empty">
          <h2>No terminal sessions yet</h2>
          <p>Sessions appear here when someone opens a job's Debug terminal.</p>
        </div>
      ) : (
        <ListTable columns={["Opened", "User", "Job", "Mode", "From", "Duration", "Ended because", "Recording"]}>
          {props.items.map(({ session: s, username, project }) => (
            <tr>
              <td>
                <TimeAgo at={s.openedAt} />
              </td>
              <td>{username ?? <span class="muted">deleted user</span>}</td>
              <td>
                {project ? (
                  <a href={jobUrl(project, s.jobId)}>
                    {project.namespace}/{project.path} #{s.jobId}
                  </a>
                ) : (
                  `#${s.jobId}`
                )}
              </td>
              <td>
                <span class="pill">{s.mode === "rw" ? "read-write" : "read-only"}</span>{" "}
                <span class="muted">{s.subprotocol}</span>
              </td>
              <td>
                <div class="cell-stack">
                  <span class="mono">{s.remoteAddress ?? "—"}</span>
                  <span class="muted" title={s.userAgent ?? ""}>
                    {(s.userAgent ?? "").slice(0, 40)}
                  </span>
                </div>
              </td>
              <td>
                {s.closedAt ? (
                  humanDuration(secondsBetween(s.openedAt, s.closedAt))
                ) : (
                  <span class="pill pill-blue">open</span>
                )}
              </td>
              <td>{s.closeReason?.replaceAll("_", " ") ?? "—"}</td>
              <td>
                {s.recordingPath ? (
                  <a href={recordingUrl(s)} download>
                    recording
                  </a>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      <Pagination {...props.pageInfo} href={props.href} />
    </>
  );
}
