// A job's terminal sessions as the job page lists them: one entry per recording, with every connection to it.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { TerminalSessionRow } from "../store/rows.ts";
import { recordingKept } from "./recordings.ts";

export interface RecordedSession {
  /** The first connection's row id: names the session in the player's URL. */
  id: number;
  /** The recording under data_dir; null when the session was not recorded. */
  recordingPath: string | null;
  /** Whether the recording's file is still there (`terminal.recording_retention` removes old ones). */
  kept: boolean;
  openedAt: Date;
  /** When the last connection closed; null while one is open. */
  closedAt: Date | null;
  /** The last connection's close reason (how the session ended). */
  endedBecause: string | null;
  connections: { username: string | null; mode: "rw" | "ro"; openedAt: Date; closedAt: Date | null }[];
}

/** The job's sessions, oldest first: connections that share a recording are one session (unrecorded ones stand alone). */
export function recordedSessionsOfJob(db: Db, dataDir: string, jobId: number): RecordedSession[] {
  const sessions: RecordedSession[] = [];
  const byPath = new Map<string, RecordedSession>();
  for (const { session: row, username } of repositoriesOf(db).terminalSessions.ofJob(jobId)) {
    const known = row.recordingPath ? byPath.get(row.recordingPath) : undefined;
    const session = known ?? startSession(row, dataDir);
    if (!known) {
      sessions.push(session);
      if (row.recordingPath) byPath.set(row.recordingPath, session);
    }
    session.connections.push({ username, mode: row.mode, openedAt: row.openedAt, closedAt: row.closedAt });
    const open = session.connections.some((c) => c.closedAt === null);
    if (!open && row.closedAt && (!session.closedAt || row.closedAt >= session.closedAt)) {
      session.closedAt = row.closedAt;
      session.endedBecause = row.closeReason;
    }
    if (open) session.closedAt = session.endedBecause = null;
  }
  return sessions;
}

function startSession(row: TerminalSessionRow, dataDir: string): RecordedSession {
  return {
    id: row.id,
    recordingPath: row.recordingPath,
    kept: row.recordingPath !== null && recordingKept(dataDir, row.recordingPath),
    openedAt: row.openedAt,
    closedAt: null,
    endedBecause: null,
    connections: [],
  };
}

/** The kept recording of the job's session `id` (its first connection's row), or null when there is none. */
export function recordingOfJobSession(db: Db, dataDir: string, jobId: number, id: number): RecordedSession | null {
  return recordedSessionsOfJob(db, dataDir, jobId).find((s) => s.id === id && s.kept) ?? null;
}
