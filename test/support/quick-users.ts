// Users made straight in a test porthole's database, all with one argon2 hash made beforehand: for tests about what
// a user may do, not about passwords (each real hash costs 0.1–0.5 s of a core, and some files make dozens of users).
import { insertTestUser } from "../../src/auth/users.testing.ts";
import type { Db } from "../../src/store/db.ts";
import type { UserRow } from "../../src/store/rows.ts";

/** A new active, non-admin user named `username` (email `<username>@example.test`), password TEST_PASSWORD. */
export function quickUser(db: Db, username: string): UserRow {
  return insertTestUser(db, { username, email: `${username}@example.test` });
}
