// Project memberships: a user's level, the Owner count, and listing, adding, changing and removing members.
import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { countRows, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { MemberRow, UserRow } from "./rows.ts";
import { members, users } from "./schema.ts";

export interface MemberWithUser {
  member: MemberRow;
  user: UserRow;
}

export function createMembersRepository({ db }: { db: DbHandle }) {
  const of = (projectId: number, userId: number) => and(eq(members.projectId, projectId), eq(members.userId, userId));
  return {
    /** The user's level in the project from a membership not expired on `today` (`YYYY-MM-DD`), or 0. */
    levelOf: (projectId: number, userId: number, today: string): number =>
      db
        .select({ level: members.accessLevel })
        .from(members)
        .where(and(of(projectId, userId), or(isNull(members.expiresAt), gt(members.expiresAt, today))))
        .get()?.level ?? 0,

    /** How many members of the project have exactly `level`. */
    countAtLevel: (projectId: number, level: number): number =>
      countRows(db, members, and(eq(members.projectId, projectId), eq(members.accessLevel, level))),

    find: (projectId: number, userId: number): MemberRow | null =>
      db.select().from(members).where(of(projectId, userId)).get() ?? null,

    insert: (values: typeof members.$inferInsert): MemberRow => db.insert(members).values(values).returning().get(),

    update: (
      projectId: number,
      userId: number,
      changes: { accessLevel?: number; expiresAt?: string | null },
    ): MemberRow | null => db.update(members).set(changes).where(of(projectId, userId)).returning().get() ?? null,

    delete(projectId: number, userId: number): void {
      db.delete(members).where(of(projectId, userId)).run();
    },

    /** All members with their users, by username (the members page). */
    withUsersByName: (projectId: number): MemberWithUser[] =>
      db
        .select({ member: members, user: users })
        .from(members)
        .innerJoin(users, eq(users.id, members.userId))
        .where(eq(members.projectId, projectId))
        .orderBy(asc(users.username))
        .all(),

    /** A page of members with their users, oldest membership first (the API). */
    pageWithUsers(projectId: number, page: PageWindow): PageOf<MemberWithUser> {
      const where = eq(members.projectId, projectId);
      const query = db
        .select({ member: members, user: users })
        .from(members)
        .innerJoin(users, eq(users.id, members.userId))
        .where(where)
        .orderBy(asc(members.createdAt), asc(members.userId));
      return paginate(db, query, { table: members, where }, page);
    },
  };
}
