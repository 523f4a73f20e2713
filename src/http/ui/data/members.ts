// Project members for the members page: list, add, change role, remove; a project always keeps an Owner.
import { and, asc, eq } from "drizzle-orm";
import { leavesNoOwner } from "../../../auth/owners.ts";
import { ROLES } from "../../../auth/permissions.ts";
import { findUserByLogin } from "../../../auth/users.ts";
import { badRequest, conflict, invalid, notFound } from "../../../domain/errors.ts";
import type { Db } from "../../../store/db.ts";
import type { MemberRow, UserRow } from "../../../store/rows.ts";
import { members, users } from "../../../store/schema.ts";

export const ROLE_NAMES: Record<number, string> = {
  [ROLES.guest]: "Guest",
  [ROLES.reporter]: "Reporter",
  [ROLES.developer]: "Developer",
  [ROLES.maintainer]: "Maintainer",
  [ROLES.owner]: "Owner",
};

/** An access level from a form value, or null when it is not one of GitLab's five. */
export function roleLevel(raw: string): number | null {
  const n = Number(raw);
  return n in ROLE_NAMES ? n : null;
}

export function listMembers(db: Db, projectId: number): { member: MemberRow; user: UserRow }[] {
  return db
    .select({ member: members, user: users })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.projectId, projectId))
    .orderBy(asc(users.username))
    .all();
}

export function findMember(db: Db, projectId: number, userId: number): MemberRow {
  const row = db
    .select()
    .from(members)
    .where(and(eq(members.projectId, projectId), eq(members.userId, userId)))
    .get();
  if (!row) throw notFound("Member");
  return row;
}

/** Adds the user named `login` (username or email); bad_request on the field when unknown, conflict when a member. */
export function addMember(db: Db, projectId: number, login: string, level: number, expiresAt: string | null): UserRow {
  const user = login ? findUserByLogin(db, login) : null;
  if (!user) throw invalid({ username: [login ? `no user named ${login}` : "can't be blank"] });
  const exists = db
    .select()
    .from(members)
    .where(and(eq(members.projectId, projectId), eq(members.userId, user.id)))
    .get();
  if (exists) throw conflict(`${user.username} is already a member`);
  db.insert(members).values({ projectId, userId: user.id, accessLevel: level, expiresAt }).run();
  return user;
}

export function changeMember(db: Db, current: MemberRow, level: number): void {
  if (leavesNoOwner(db, current, level)) throw badRequest("A project must keep at least one Owner.");
  db.update(members)
    .set({ accessLevel: level })
    .where(and(eq(members.projectId, current.projectId), eq(members.userId, current.userId)))
    .run();
}

export function removeMember(db: Db, current: MemberRow): void {
  if (leavesNoOwner(db, current, null)) throw badRequest("A project must keep at least one Owner.");
  db.delete(members)
    .where(and(eq(members.projectId, current.projectId), eq(members.userId, current.userId)))
    .run();
}
