// A user's changes to their own account: a new password (proved by the current one), signing out everywhere.
import { invalid } from "../domain/errors.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import { checkPassword } from "./user-rules.ts";
import { hashPassword, verifyPassword } from "./users.ts";

export interface PasswordChange {
  current: string;
  password: string;
  confirmation: string;
}

/**
 * Sets user `userId`'s password after checking the current one, and ends their other web sessions (`keepSessionId`
 * is the one making the change). Throws DomainError bad_request with field messages, and changes nothing then.
 */
export async function changeOwnPassword(
  db: Db,
  userId: number,
  keepSessionId: number,
  change: PasswordChange,
): Promise<void> {
  const repos = repositoriesOf(db);
  const user = repos.users.findById(userId);
  if (!user || !(await verifyPassword(user, change.current)))
    throw invalid({ current_password: ["is not your current password"] });
  const problem = checkPassword(change.password);
  if (problem) throw invalid({ password: [problem] });
  if (change.confirmation !== change.password)
    throw invalid({ password_confirmation: ["does not match the new password"] });
  repos.users.update(userId, { passwordHash: await hashPassword(change.password) });
  repos.webSessions.revokeOthersOfUser(userId, keepSessionId);
}

/** Ends every web session of the user, this one too. */
export function signOutEverywhere(db: Db, userId: number): void {
  repositoriesOf(db).webSessions.revokeAllOfUser(userId);
}
