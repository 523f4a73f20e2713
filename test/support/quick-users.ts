// Users made straight in a test porthole's database, all with one argon2 hash made beforehand: for tests about what
// a user may do, not about passwords (each real hash costs 0.1–0.5 s of a core, and some files make dozens of users).
import { insertTestUser } from "../../src/auth/users.testing.ts";
import type { Db } from "../../src/store/db.ts";
import type { UserRow } from "../../src/store/rows.ts";
import type { TestPorthole } from "./porthole.ts";
import { json } from "./terminal-jobs.ts";

/** A new active, non-admin user named `username` (email `<username>@example.test`), password TEST_PASSWORD. */
export function quickUser(db: Db, username: string): UserRow {
  return insertTestUser(db, { username, email: `${username}@example.test` });
}

/** As terminal-jobs' userWithRole: a quick user with an `api` token (made through the API) and, if given, role `level`. */
export async function quickUserWithRole(
  t: TestPorthole,
  username: string,
  projectId: number,
  level?: number,
): Promise<{ id: number; token: string }> {
  const user = quickUser(t.porthole.store.db, username);
  if (level)
    await json(
      t.api(`/projects/${projectId}/members`, { method: "POST", json: { user_id: user.id, access_level: level } }),
    );
  const { token } = await json<{ token: string }>(
    t.api(`/users/${user.id}/personal_access_tokens`, { method: "POST", json: { name: "t", scopes: ["api"] } }),
  );
  return { id: user.id, token };
}
