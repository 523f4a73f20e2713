// Changing existing users (admin actions): profile and password updates, block and unblock, deletion.
import { and, eq, isNull, sql } from "drizzle-orm";
import { conflict, invalid, notFound } from "../domain/errors.ts";
import type { Db } from "../store/db.ts";
import type { UserRow } from "../store/rows.ts";
import { users, webSessions } from "../store/schema.ts";
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
    const other = db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${patch.email.toLowerCase()}`)
      .get();
    if (other && other.id !== id) throw conflict("Email has already been taken");
  }
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const row = db
    .update(users)
    .set({ username: patch.username, name: patch.name, email: patch.email, admin: patch.admin, passwordHash })
    .where(eq(users.id, id))
    .returning()
    .get();
  if (!row) throw notFound("User");
  if (passwordHash) endWebSessions(db, id);
  return row;
}

/** Blocks or unblocks a user. A blocked user's tokens and sessions stop working at once (checked on every request). */
export function setUserState(db: Db, id: number, state: UserRow["state"]): UserRow {
  const row = db.update(users).set({ state }).where(eq(users.id, id)).returning().get();
  if (!row) throw notFound("User");
  if (state === "blocked") endWebSessions(db, id);
  return row;
}

/** Deletes a user; their tokens, sessions and memberships go with them (foreign keys cascade). */
export function deleteUser(db: Db, id: number): void {
  const row = db.delete(users).where(eq(users.id, id)).returning({ id: users.id }).get();
  if (!row) throw notFound("User");
}

/** Whether this user is the only active admin (who must not be blocked, demoted or deleted). */
export function isLastAdmin(db: Db, id: number): boolean {
  const admins = db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.admin, true), eq(users.state, "active")))
    .all();
  return admins.length === 1 && admins[0]!.id === id;
}

function endWebSessions(db: Db, userId: number): void {
  db.update(webSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(webSessions.userId, userId), isNull(webSessions.revokedAt)))
    .run();
}
