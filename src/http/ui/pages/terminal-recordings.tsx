// The job's terminal sessions (who, when, how long, how it ended) on the job page, and the recording player page.
/** @jsxImportSource hono/jsx */
import type { RecordedSession } from "../../../session/job-recordings.ts";
import type { JobRow, ProjectRow } from "../../../store/rows.ts";
import { assetUrls } from "../assets.ts";
import { terminalRecordingUrl } from "../urls.ts";
import { humanDuration, secondsBetween } from "../views/format.ts";
import { ListTable } from "../views/list-table.tsx";
import { ProjectHeader, pipelineTrail } from "../views/project-header.tsx";
import { TimeAgo } from "../views/time.tsx";

const who = (s: RecordedSession) =>
  [
    ...new Set(
      s.connections.map(
        (c) => `${c.username ?? "anonymous or deleted user"} (${c.mode === "rw" ? "wrote" : "watched"})`,
      ),
    ),
  ].join(", ");

/** The job page's list; nothing when the job never had a terminal. */
export function TerminalSessionsPanel(props: { project: ProjectRow; job: JobRow; sessions: RecordedSession[] }) {
  if (props.sessions.length === 0) return null;
  return (
    <section class="terminal-sessions">
      <h2>Terminal sessions</h2>
      <ListTable columns={["Opened", "Who", "Duration", "Ended because", "Recording"]}>
        {props.sessions.map((s) => (
          <tr>
            <td>
              <TimeAgo at={s.openedAt} />
            </td>
            <td>{who(s)}</td>
            <td>{s.closedAt ? humanDuration(secondsBetween(s.openedAt, s.closedAt)) : "open"}</td>
            <td>{s.endedBecause?.replaceAll("_", " ") ?? "—"}</td>
            <td>
              {s.kept ? (
                <a href={terminalRecordingUrl(props.project, props.job.id, s.id)}>Play</a>
              ) : (
                <span class="muted">{s.recordingPath ? "removed (retention)" : "not recorded"}</span>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </section>
  );
}

const SPEEDS = [0.5, 1, 2, 4, 8];
const IDLE_LIMITS: [number, string][] = [
  [0, "none"],
  [1, "1 s"],
  [2, "2 s"],
  [5, "5 s"],
];

/** asciinema-player (web/player/) on the session's cast; its bar plays, pauses and seeks, the page sets speed and idle limit. */
export function TerminalPlayerPage(props: {
  project: ProjectRow;
  job: JobRow;
  pipelineId: number;
  session: RecordedSession;
  castUrl: string;
  canAdmin: boolean;
}) {
  const assets = assetUrls();
  const { project, job, session } = props;
  return (
    <>
      <ProjectHeader
        project={project}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={pipelineTrail(project, props.pipelineId, { label: job.name })}
        title={<>Terminal session of {job.name}</>}
      />
      <link rel="stylesheet" href={assets.playerCss} />
      <p class="muted">
        Opened <TimeAgo at={session.openedAt} /> · {who(session)}
        {session.closedAt && <> · {humanDuration(secondsBetween(session.openedAt, session.closedAt))}</>}
        {session.endedBecause && <> · ended: {session.endedBecause.replaceAll("_", " ")}</>}
      </p>
      <div class="player-options">
        <label>
          Speed{" "}
          <select id="player-speed">
            {SPEEDS.map((s) => (
              <option value={String(s)} selected={s === 1}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label>
          Skip pauses longer than{" "}
          <select id="player-idle">
            {IDLE_LIMITS.map(([value, label]) => (
              <option value={String(value)} selected={value === 2}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <a href={props.castUrl} download>
          Download (asciicast)
        </a>
      </div>
      <div id="player" data-cast-url={props.castUrl}></div>
      <script type="module" src={assets.playerJs}></script>
    </>
  );
}
