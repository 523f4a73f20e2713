// The password of root and of quick users in test portholes, with its argon2id hash made once and kept here.

/** Signs in as root of a test porthole, or as any quick user. */
export const TEST_PASSWORD = "test-password-1";

/**
 * `Bun.password.hash(TEST_PASSWORD, { algorithm: "argon2id" })`, computed once: each hash costs 0.1–0.5 s of a core,
 * and every test file runs in a fresh module scope, so a cache would last one file only. The relative-root tests
 * sign in as root with TEST_PASSWORD, so a hash that does not match fails there.
 */
export const TEST_PASSWORD_HASH =
  "$argon2id$v=19$m=65536,t=2,p=1$F+v7G49pHBz5FWsA9lMr2MxbNIl2mgztFklMt48ADK8$vMojDZQkPbQd+OfVb/DTvtCcQEllmKq/cK3xaPcV/Rg";
