// Browser sign-in sessions: stored by the cookie's hash, found with their user, touched, revoked.
import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import type { UserRow, WebSessionRow } from "./rows.ts";
import { users, webSessions } from "./schema.ts";

export function createWebSessionsRepository({ db }: { db: DbHandle }) {
  return {
    insert: (values: typeof webSessions.$inferInsert): WebSessionRow =>
      db.insert(webSessions).values(values).returning().get(),

    findWithUserByHash: (hash: string): { session: WebSessionRow; user: UserRow } | null =>
      db
        .select({ session: webSessions, user: users })
        .from(webSessions)
        .innerJoin(users, eq(users.id, webSessions.userId))
        .where(eq(webSessions.tokenHash, hash))
        .get() ?? null,

    touchLastSeen(id: number, at: Date): void {
      db.update(webSessions).set({ lastSeenAt: at }).where(eq(webSessions.id, id)).run();
    },

    revoke(id: number): void {
      db.update(webSessions).set({ revokedAt: new Date() }).where(eq(webSessions.id, id)).run();
    },

    /** The user's sessions that still work at `now` (not revoked, not expired), newest first. */
    activeOfUser: (userId: number, now: Date): WebSessionRow[] =>
      db
        .select()
        .from(webSessions)
        .where(and(eq(webSessions.userId, userId), isNull(webSessions.revokedAt), gt(webSessions.expiresAt, now)))
        .orderBy(desc(webSessions.id))
        .all(),

    /** Ends every open session of the user but `keepId` (their own password change). */
    revokeOthersOfUser(userId: number, keepId: number): void {
      db.update(webSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(webSessions.userId, userId), isNull(webSessions.revokedAt), ne(webSessions.id, keepId)))
        .run();
    },

    /** Ends every open session of the user (password change, block). */
    revokeAllOfUser(userId: number): void {
      db.update(webSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(webSessions.userId, userId), isNull(webSessions.revokedAt)))
        .run();
    },
  };
}
