// Changing existing users (admin actions): profile and password updates, block and unblock, deletion.
import { conflict, invalid, notFound } from "../domain/errors.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { UserRow } from "../store/rows.ts";
import { checkEmail, checkName, checkPassword, checkUsername, isUsernameTaken } from "./user-rules.ts";
import { hashPassword } from "./users.ts";

export interface UserPatch {
  username?: string;
  name?: string;
  email?: string;
  password?: string;
  admin?: boolean;
}

/** Applies `patch` to user `id`. Same validation and conflicts as createUser; a new password ends the user's web sessions. */
export async function updateUser(db: Db, id: number, patch: UserPatch): Promise<UserRow> {
  const fields: Record<string, string[]> = {};
  const problems = {
    username: patch.username === undefined ? null : checkUsername(patch.username),
    name: patch.name === undefined ? null : checkName(patch.name),
    email: patch.email === undefined ? null : checkEmail(patch.email),
    password: patch.password === undefined ? null : checkPassword(patch.password),
  };
  for (const [field, problem] of Object.entries(problems)) if (problem) fields[field] = [problem];
  if (Object.keys(fields).length > 0) throw invalid(fields);
  if (patch.username !== undefined && isUsernameTaken(db, patch.username, id)) {
    throw conflict("Username has already been taken");
  }
  if (patch.email !== undefined) {
    const other = repositoriesOf(db).users.findByEmail(patch.email);
    if (other && other.id !== id) throw conflict("Email has already been taken");
  }
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const row = repositoriesOf(db).users.update(id, {
    username: patch.username,
    name: patch.name,
    email: patch.email,
    admin: patch.admin,
    passwordHash,
  });
  if (!row) throw notFound("User");
  if (passwordHash) repositoriesOf(db).webSessions.revokeAllOfUser(id);
  return row;
}

/** Blocks or unblocks a user. A blocked user's tokens and sessions stop working at once (checked on every request). */
export function setUserState(db: Db, id: number, state: UserRow["state"]): UserRow {
  const row = repositoriesOf(db).users.update(id, { state });
  if (!row) throw notFound("User");
  if (state === "blocked") repositoriesOf(db).webSessions.revokeAllOfUser(id);
  return row;
}

/** Deletes a user; their tokens, sessions and memberships go with them (foreign keys cascade). */
export function deleteUser(db: Db, id: number): void {
  if (!repositoriesOf(db).users.delete(id)) throw notFound("User");
}

/** Whether this user is the only active admin (who must not be blocked, demoted or deleted). */
export function isLastAdmin(db: Db, id: number): boolean {
  const admins = repositoriesOf(db).users.activeAdminIds();
  return admins.length === 1 && admins[0] === id;
}
