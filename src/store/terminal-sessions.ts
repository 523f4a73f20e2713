// Terminal connection records: opened, closed with a reason, and read per project or for admins.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { TerminalSessionRow } from "./rows.ts";
import { projects, terminalSessions, users } from "./schema.ts";

export interface TerminalSessionListItem {
  session: TerminalSessionRow;
  username: string | null;
  project: { namespace: string; path: string } | null;
}

export function createTerminalSessionsRepository({ db }: { db: DbHandle }) {
  return {
    /** Records an opened connection; returns its id. */
    open: (values: typeof terminalSessions.$inferInsert): number =>
      db.insert(terminalSessions).values(values).returning({ id: terminalSessions.id }).get().id,

    /** Stamps the close time and reason unless the row is already closed. */
    close(id: number, reason: string): void {
      db.update(terminalSessions)
        .set({ closedAt: new Date(), closeReason: reason })
        .where(and(eq(terminalSessions.id, id), isNull(terminalSessions.closedAt)))
        .run();
    },

    /** Closes every open row with `reason`; returns how many there were. */
    closeAllOpen: (reason: string): number =>
      db
        .update(terminalSessions)
        .set({ closedAt: new Date(), closeReason: reason })
        .where(isNull(terminalSessions.closedAt))
        .returning({ id: terminalSessions.id })
        .all().length,

    /** Who has a terminal of the job open now (rows not closed), oldest first. */
    openOnJob: (jobId: number): { username: string | null; mode: "rw" | "ro" }[] =>
      db
        .select({ username: users.username, mode: terminalSessions.mode })
        .from(terminalSessions)
        .leftJoin(users, eq(users.id, terminalSessions.userId))
        .where(and(eq(terminalSessions.jobId, jobId), isNull(terminalSessions.closedAt)))
        .orderBy(terminalSessions.id)
        .all(),

    /** A job's connections with who opened them, oldest first. */
    ofJob: (jobId: number): { session: TerminalSessionRow; username: string | null }[] =>
      db
        .select({ session: terminalSessions, username: users.username })
        .from(terminalSessions)
        .leftJoin(users, eq(users.id, terminalSessions.userId))
        .where(eq(terminalSessions.jobId, jobId))
        .orderBy(terminalSessions.id)
        .all(),

    findInProject: (projectId: number, id: number): TerminalSessionRow | null =>
      db
        .select()
        .from(terminalSessions)
        .where(and(eq(terminalSessions.projectId, projectId), eq(terminalSessions.id, id)))
        .get() ?? null,

    /** A project's connections, newest first. */
    pageOfProject(projectId: number, page: PageWindow): PageOf<TerminalSessionRow> {
      const where = eq(terminalSessions.projectId, projectId);
      const query = db.select().from(terminalSessions).where(where).orderBy(desc(terminalSessions.id));
      return paginate(db, query, { table: terminalSessions, where }, page);
    },

    /** Every connection, newest first, with who opened it and in which project. */
    page(page: PageWindow): PageOf<TerminalSessionListItem> {
      const query = db
        .select({
          session: terminalSessions,
          username: users.username,
          namespace: projects.namespace,
          path: projects.path,
        })
        .from(terminalSessions)
        .leftJoin(users, eq(users.id, terminalSessions.userId))
        .leftJoin(projects, eq(projects.id, terminalSessions.projectId))
        .orderBy(desc(terminalSessions.id));
      const { rows, total } = paginate(db, query, { table: terminalSessions }, page);
      return {
        rows: rows.map((r) => ({
          session: r.session,
          username: r.username,
          project: r.namespace && r.path ? { namespace: r.namespace, path: r.path } : null,
        })),
        total,
      };
    },
  };
}
