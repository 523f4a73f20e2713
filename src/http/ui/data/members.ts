// Project members for the members page: list, add, change role, remove; a project always keeps an Owner.
import { leavesNoOwner } from "../../../auth/owners.ts";
import { ROLES } from "../../../auth/permissions.ts";
import { findUserByLogin } from "../../../auth/users.ts";
import { badRequest, conflict, invalid, notFound } from "../../../domain/errors.ts";
import type { Db } from "../../../store/db.ts";
import { repositoriesOf } from "../../../store/repositories.ts";
import type { MemberRow, UserRow } from "../../../store/rows.ts";

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
  return repositoriesOf(db).members.withUsersByName(projectId);
}

export function findMember(db: Db, projectId: number, userId: number): MemberRow {
  const row = repositoriesOf(db).members.find(projectId, userId);
  if (!row) throw notFound("Member");
  return row;
}

/** Adds the user named `login` (username or email); bad_request on the field when unknown, conflict when a member. */
export function addMember(db: Db, projectId: number, login: string, level: number, expiresAt: string | null): UserRow {
  const user = login ? findUserByLogin(db, login) : null;
  if (!user) throw invalid({ username: [login ? `no user named ${login}` : "can't be blank"] });
  const repo = repositoriesOf(db).members;
  if (repo.find(projectId, user.id)) throw conflict(`${user.username} is already a member`);
  repo.insert({ projectId, userId: user.id, accessLevel: level, expiresAt });
  return user;
}

export function changeMember(db: Db, current: MemberRow, level: number): void {
  if (leavesNoOwner(db, current, level)) throw badRequest("A project must keep at least one Owner.");
  repositoriesOf(db).members.update(current.projectId, current.userId, { accessLevel: level });
}

export function removeMember(db: Db, current: MemberRow): void {
  if (leavesNoOwner(db, current, null)) throw badRequest("A project must keep at least one Owner.");
  repositoriesOf(db).members.delete(current.projectId, current.userId);
}
