// The terminal audit trail: one terminal_sessions row per connection, opened on attach and closed with a reason.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { TerminalSessionRow } from "../store/rows.ts";
import type { CloseReason, TerminalMode } from "./types.ts";

export interface OpenedConnection {
  jobId: number;
  projectId: number;
  /** Null for a visitor watching through a share link without signing in. */
  userId: number | null;
  mode: TerminalMode;
  subprotocol: string;
  remoteAddress: string | null;
  userAgent: string | null;
  /** The session's recording, relative to data_dir (null when not recorded). */
  recordingPath: string | null;
}

/** Records a connection that has just attached; returns the row id for recordClose(). */
export function recordOpen(db: Db, c: OpenedConnection): number {
  return repositoriesOf(db).terminalSessions.open({ ...c, userAgent: c.userAgent?.slice(0, 512) ?? null });
}

/** Stamps the close time and reason; a row already closed keeps its first reason. */
export function recordClose(db: Db, id: number, reason: CloseReason): void {
  repositoriesOf(db).terminalSessions.close(id, reason);
}

/** Closes rows a previous server process left open (it stopped without closing its connections). */
export function closeLeftovers(db: Db): number {
  return repositoriesOf(db).terminalSessions.closeAllOpen("server_stopping");
}

/** One page of a project's terminal connections, newest first, with the total. */
export function listForProject(
  db: Db,
  projectId: number,
  page: { offset: number; perPage: number },
): { rows: TerminalSessionRow[]; total: number } {
  return repositoriesOf(db).terminalSessions.pageOfProject(projectId, page);
}

/** One of a project's terminal connections; undefined when the id is unknown or belongs to another project. */
export function findForProject(db: Db, projectId: number, id: number): TerminalSessionRow | undefined {
  return repositoriesOf(db).terminalSessions.findInProject(projectId, id) ?? undefined;
}
