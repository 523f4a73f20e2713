// Test users with a password hash made once: tests about what a user may do need no fresh argon2 work per user.
import type { DbHandle } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { UserRow } from "../store/rows.ts";

/** The password of every test user made here (and of root in test portholes). */
export const TEST_PASSWORD = "test-password-1";

/**
 * `Bun.password.hash(TEST_PASSWORD, { algorithm: "argon2id" })`, computed once: each hash costs 0.1–0.5 s of a core,
 * and every test file runs in a fresh module scope, so a cache would last one file only. Sign-in tests use
 * TEST_PASSWORD (auth-routes, relative-root), so a hash that does not match fails there.
 */
export const TEST_PASSWORD_HASH =
  "$argon2id$v=19$m=65536,t=2,p=1$F+v7G49pHBz5FWsA9lMr2MxbNIl2mgztFklMt48ADK8$vMojDZQkPbQd+OfVb/DTvtCcQEllmKq/cK3xaPcV/Rg";

/** An active user with password TEST_PASSWORD; name and email default as createUser's do. */
export function insertTestUser(
  db: DbHandle,
  user: { username: string; name?: string; email?: string; admin?: boolean },
): UserRow {
  return repositoriesOf(db).users.insert({
    username: user.username,
    name: user.name ?? user.username,
    email: user.email ?? `${user.username}@porthole.invalid`,
    passwordHash: TEST_PASSWORD_HASH,
    admin: user.admin ?? false,
  });
}
