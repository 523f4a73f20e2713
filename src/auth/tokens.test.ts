import { expect, test } from "bun:test";
import { openStore } from "../store/db.ts";
import { authenticateToken, createPersonalAccessToken, isExpired, revokePersonalAccessToken } from "./tokens.ts";
import { setUserState } from "./user-admin.ts";
import { createUser } from "./users.ts";

async function setup() {
  const { db, sqlite, repos } = openStore(":memory:");
  const { user } = await createUser(db, { username: "alice", password: "password1" });
  return { db, sqlite, repos, user };
}

test("a token is glpat-…, stored only as its SHA-256, and authenticates its user", async () => {
  const { db, sqlite, user } = await setup();
  const { token, row } = createPersonalAccessToken(db, { userId: user.id, name: "ci", scopes: ["api"] });
  expect(token).toMatch(/^glpat-[A-Za-z0-9_-]{20}$/);
  expect(row.tokenHash).toBe(new Bun.CryptoHasher("sha256").update(token).digest("hex"));
  const stored = sqlite.query("SELECT * FROM personal_access_tokens").all();
  expect(JSON.stringify(stored)).not.toContain(token);
  const found = authenticateToken(db, token)!;
  expect(found.user.id).toBe(user.id);
  expect(found.token.scopes).toEqual(["api"]);
  expect(authenticateToken(db, `${token}x`)).toBeNull();
  expect(authenticateToken(db, "")).toBeNull();
});

test("revoked and expired tokens and tokens of blocked users are refused", async () => {
  const { db, sqlite, user } = await setup();
  const revoked = createPersonalAccessToken(db, { userId: user.id, name: "r", scopes: ["api"] });
  revokePersonalAccessToken(db, revoked.row.id, user.id);
  expect(authenticateToken(db, revoked.token)).toBeNull();

  const expiring = createPersonalAccessToken(db, {
    userId: user.id,
    name: "e",
    scopes: ["read_api"],
    expiresAt: "2999-01-01",
  });
  expect(authenticateToken(db, expiring.token)).not.toBeNull();
  sqlite.run("UPDATE personal_access_tokens SET expires_at = '2000-01-01' WHERE id = ?", [expiring.row.id]);
  expect(authenticateToken(db, expiring.token)).toBeNull();

  const live = createPersonalAccessToken(db, { userId: user.id, name: "l", scopes: ["api"] });
  setUserState(db, user.id, "blocked");
  expect(authenticateToken(db, live.token)).toBeNull();
});

test("expiry is by UTC date: a token stops working at the start of its expires_at day", () => {
  const noon = new Date("2030-06-15T12:00:00Z");
  expect(isExpired("2030-06-15", noon)).toBe(true);
  expect(isExpired("2030-06-16", noon)).toBe(false);
  expect(isExpired(null, noon)).toBe(false);
});

test("invalid names, scopes and dates are refused with field messages", async () => {
  const { db, user } = await setup();
  const err = (() => {
    try {
      createPersonalAccessToken(db, { userId: user.id, name: " ", scopes: [], expiresAt: "2001-01-01" });
    } catch (e) {
      return e as { fields: Record<string, string[]> };
    }
  })()!;
  expect(err.fields).toEqual({
    name: ["can't be blank"],
    scopes: ["can't be blank"],
    expires_at: ["must be in the future"],
  });
});

test("last_used_at is written on first use and not again within ten minutes", async () => {
  const { db, repos, user } = await setup();
  const { token, row } = createPersonalAccessToken(db, { userId: user.id, name: "t", scopes: ["api"] });
  expect(row.lastUsedAt).toBeNull();
  const first = authenticateToken(db, token)!.token.lastUsedAt!;
  const second = authenticateToken(db, token)!.token.lastUsedAt!;
  expect(second.getTime()).toBe(first.getTime());
  const stored = repos.tokens.findById(row.id)!;
  expect(stored.lastUsedAt?.getTime()).toBe(first.getTime());
});

test("revoking someone else's token by owner id is not found", async () => {
  const { db, user } = await setup();
  const { row } = createPersonalAccessToken(db, { userId: user.id, name: "t", scopes: ["api"] });
  expect(() => revokePersonalAccessToken(db, row.id, user.id + 1)).toThrow("Personal Access Token not found");
});
