// The terminal audit trail: one terminal_sessions row per connection, opened on attach and closed with a reason.
import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../store/db.ts";
import type { TerminalSessionRow } from "../store/rows.ts";
import { terminalSessions } from "../store/schema.ts";
import type { CloseReason, TerminalMode } from "./types.ts";

export interface OpenedConnection {
  jobId: number;
  projectId: number;
  userId: number;
  mode: TerminalMode;
  subprotocol: string;
  remoteAddress: string | null;
  userAgent: string | null;
  /** The session's recording, relative to data_dir (null when not recorded). */
  recordingPath: string | null;
}

/** Records a connection that has just attached; returns the row id for recordClose(). */
export function recordOpen(db: Db, c: OpenedConnection): number {
  const row = db
    .insert(terminalSessions)
    .values({ ...c, userAgent: c.userAgent?.slice(0, 512) ?? null })
    .returning({ id: terminalSessions.id })
    .get();
  return row.id;
}

/** Stamps the close time and reason; a row already closed keeps its first reason. */
export function recordClose(db: Db, id: number, reason: CloseReason): void {
  db.update(terminalSessions)
    .set({ closedAt: new Date(), closeReason: reason })
    .where(and(eq(terminalSessions.id, id), isNull(terminalSessions.closedAt)))
    .run();
}

/** Closes rows a previous server process left open (it stopped without closing its connections). */
export function closeLeftovers(db: Db): number {
  return db
    .update(terminalSessions)
    .set({ closedAt: new Date(), closeReason: "server_stopping" })
    .where(isNull(terminalSessions.closedAt))
    .returning({ id: terminalSessions.id })
    .all().length;
}

/** One page of a project's terminal connections, newest first, with the total. */
export function listForProject(
  db: Db,
  projectId: number,
  page: { offset: number; perPage: number },
): { rows: TerminalSessionRow[]; total: number } {
  const where = eq(terminalSessions.projectId, projectId);
  const rows = db
    .select()
    .from(terminalSessions)
    .where(where)
    .orderBy(desc(terminalSessions.id))
    .limit(page.perPage)
    .offset(page.offset)
    .all();
  const total = db.select({ n: count() }).from(terminalSessions).where(where).get()?.n ?? 0;
  return { rows, total };
}

/** One of a project's terminal connections; undefined when the id is unknown or belongs to another project. */
export function findForProject(db: Db, projectId: number, id: number): TerminalSessionRow | undefined {
  return db
    .select()
    .from(terminalSessions)
    .where(and(eq(terminalSessions.projectId, projectId), eq(terminalSessions.id, id)))
    .get();
}
