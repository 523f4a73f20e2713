// Read-only terminal share links: made, found by id, listed per job while they work, and revoked.
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import type { TerminalShareLinkRow } from "./rows.ts";
import { terminalShareLinks } from "./schema.ts";

export function createTerminalShareLinksRepository({ db }: { db: DbHandle }) {
  return {
    create: (values: typeof terminalShareLinks.$inferInsert): TerminalShareLinkRow =>
      db.insert(terminalShareLinks).values(values).returning().get(),

    find: (id: number): TerminalShareLinkRow | null =>
      db.select().from(terminalShareLinks).where(eq(terminalShareLinks.id, id)).get() ?? null,

    /** The job's links that are neither revoked nor expired at `now`, newest first. */
    activeOfJob: (jobId: number, now: Date): TerminalShareLinkRow[] =>
      db
        .select()
        .from(terminalShareLinks)
        .where(
          and(
            eq(terminalShareLinks.jobId, jobId),
            isNull(terminalShareLinks.revokedAt),
            gt(terminalShareLinks.expiresAt, now),
          ),
        )
        .orderBy(desc(terminalShareLinks.id))
        .all(),

    /** Stamps the revocation unless already revoked; whether this call revoked it. */
    revoke: (id: number, at: Date): boolean =>
      db
        .update(terminalShareLinks)
        .set({ revokedAt: at })
        .where(and(eq(terminalShareLinks.id, id), isNull(terminalShareLinks.revokedAt)))
        .returning({ id: terminalShareLinks.id })
        .all().length > 0,
  };
}
