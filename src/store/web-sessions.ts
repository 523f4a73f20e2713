// Browser sign-in sessions: stored by the cookie's hash, found with their user, touched, revoked.
import { and, eq, isNull } from "drizzle-orm";
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

    /** Ends every open session of the user (password change, block). */
    revokeAllOfUser(userId: number): void {
      db.update(webSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(webSessions.userId, userId), isNull(webSessions.revokedAt)))
        .run();
    },
  };
}
