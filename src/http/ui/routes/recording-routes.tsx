// A job's recorded terminal sessions: the player page and the recording it plays, for the project's Reporters and up.
/** @jsxImportSource hono/jsx */
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { notFound } from "../../../domain/errors.ts";
import { recordingOfJobSession } from "../../../session/job-recordings.ts";
import { recordingFile } from "../../../session/recordings.ts";
import { allowed, routeId, routeJob } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import { PLAYER_PAGE_CSP } from "../middleware/security-headers.ts";
import type { PageRouter } from "../page-routes.ts";
import { TerminalPlayerPage } from "../pages/terminal-recordings.tsx";
import { renderPage } from "../render.tsx";
import { terminalRecordingUrl } from "../urls.ts";

const SESSION = "/:namespace/:project/-/jobs/:id{[0-9]+}/terminal_sessions/:session{[0-9]+}";

/** The route's job and recorded session, or 404 (the session is another job's, or was not recorded). */
function routeRecording(c: UiContext) {
  const access = routeJob(c, "read_terminal_recordings");
  const { store, config } = c.get("deps");
  const session = recordingOfJobSession(store.db, resolve(config.data_dir), access.job.id, routeId(c, "session"));
  if (!session) throw notFound("Recording");
  return { ...access, session };
}

const wholeLines = (text: string) => text.slice(0, text.lastIndexOf("\n") + 1);

export function addRecordingRoutes(r: PageRouter): void {
  r.get(
    SESSION,
    (c) => {
      const { project, job, session, ...access } = routeRecording(c);
      return renderPage(
        c,
        `Terminal session · ${job.name}`,
        <TerminalPlayerPage
          project={project}
          job={job}
          pipelineId={job.pipelineId}
          session={session}
          castUrl={`${terminalRecordingUrl(project, job.id, session.id)}/recording.cast`}
          canAdmin={allowed({ project, ...access }, "admin_variables")}
        />,
        { bodyClass: "page-wide" },
      );
    },
    PLAYER_PAGE_CSP,
  );

  /** The asciicast file as written (v3; older sessions' v2 files play as they are). */
  r.get(`${SESSION}/recording.cast`, async (c) => {
    const { session } = routeRecording(c);
    const file = recordingFile(resolve(c.get("deps").config.data_dir), session.recordingPath!);
    if (!file || !existsSync(file)) throw notFound("Recording");
    // A session still open is being written: only its whole lines, so that the player never reads half an event.
    const body = session.closedAt ? Bun.file(file) : wholeLines(await Bun.file(file).text());
    return new Response(body, {
      headers: {
        "Content-Type": "application/x-asciicast",
        "Content-Disposition": `inline; filename="${basename(file)}"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
