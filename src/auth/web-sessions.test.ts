import { expect, test } from "bun:test";
import { openStore } from "../store/db.ts";
import { setUserState, updateUser } from "./user-admin.ts";
import { createUser } from "./users.ts";
import {
  authenticateSession,
  checkCsrfToken,
  createWebSession,
  revokeWebSession,
  sessionCookieAttributes,
} from "./web-sessions.ts";

async function setup() {
  const { db, sqlite } = openStore(":memory:");
  const { user } = await createUser(db, { username: "alice", password: "password1" });
  return { db, sqlite, user };
}

test("a session cookie authenticates its user; only its hash is stored", async () => {
  const { db, user } = await setup();
  const { cookieValue, csrfToken, session } = createWebSession(db, user.id, { ip: "127.0.0.1", userAgent: "test" });
  expect(cookieValue.length).toBeGreaterThanOrEqual(43);
  expect(session.tokenHash).not.toBe(cookieValue);
  const found = authenticateSession(db, cookieValue)!;
  expect(found.user.id).toBe(user.id);
  expect(checkCsrfToken(found.session, csrfToken)).toBe(true);
  expect(checkCsrfToken(found.session, csrfToken.slice(1))).toBe(false);
  expect(checkCsrfToken(found.session, undefined)).toBe(false);
  expect(authenticateSession(db, cookieValue.slice(1))).toBeNull();
});

test("revoked and expired sessions, and sessions of blocked users, stop working", async () => {
  const { db, sqlite, user } = await setup();
  const a = createWebSession(db, user.id, {});
  revokeWebSession(db, a.session.id);
  expect(authenticateSession(db, a.cookieValue)).toBeNull();

  const b = createWebSession(db, user.id, {});
  sqlite.run("UPDATE web_sessions SET expires_at = ? WHERE id = ?", [Date.now() - 1, b.session.id]);
  expect(authenticateSession(db, b.cookieValue)).toBeNull();

  const c = createWebSession(db, user.id, {});
  setUserState(db, user.id, "blocked");
  expect(authenticateSession(db, c.cookieValue)).toBeNull();
});

test("changing a user's password ends their sessions", async () => {
  const { db, user } = await setup();
  const s = createWebSession(db, user.id, {});
  await updateUser(db, user.id, { password: "another password" });
  expect(authenticateSession(db, s.cookieValue)).toBeNull();
});

test("cookie attributes: HttpOnly, SameSite=Lax, Secure only over https", () => {
  expect(sessionCookieAttributes("http://127.0.0.1:8080")).toMatchObject({
    httpOnly: true,
    sameSite: "Lax",
    secure: false,
    path: "/",
  });
  expect(sessionCookieAttributes("https://ci.example.com").secure).toBe(true);
});
