// Browser sign-in sessions: a random cookie (only its hash stored), a per-session CSRF token, expiry and revocation.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { UserRow, WebSessionRow } from "../store/rows.ts";
import { constantTimeEqual, hashToken } from "./secrets.ts";

export const SESSION_COOKIE = "_porthole_session";
/** A session lasts a week from sign-in (GitLab's default session length). */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most once a minute per session. */
const LAST_SEEN_INTERVAL_MS = 60 * 1000;

const randomSecret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/**
 * Starts a session for `userId`. Set `cookieValue` as the `_porthole_session` cookie (see sessionCookieAttributes)
 * and embed `csrfToken` in pages; cookie-authenticated requests that change state must send it back.
 */
export function createWebSession(
  db: Db,
  userId: number,
  client: { ip?: string | null; userAgent?: string | null },
): { cookieValue: string; csrfToken: string; session: WebSessionRow } {
  const cookieValue = randomSecret();
  const csrfToken = randomSecret();
  const session = repositoriesOf(db).webSessions.insert({
    userId,
    tokenHash: hashToken(cookieValue),
    csrfToken,
    ip: client.ip ?? null,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
  });
  return { cookieValue, csrfToken, session };
}

/** The session and its user for a cookie value, or null when unknown, revoked, expired or the user is blocked. */
export function authenticateSession(db: Db, cookieValue: string): { user: UserRow; session: WebSessionRow } | null {
  if (cookieValue.length === 0 || cookieValue.length > 256) return null;
  const hash = hashToken(cookieValue);
  const found = repositoriesOf(db).webSessions.findWithUserByHash(hash);
  if (!found || !constantTimeEqual(found.session.tokenHash, hash)) return null;
  const now = Date.now();
  if (found.session.revokedAt || found.session.expiresAt.getTime() <= now || found.user.state !== "active") return null;
  if (now - (found.session.lastSeenAt?.getTime() ?? 0) >= LAST_SEEN_INTERVAL_MS) {
    found.session.lastSeenAt = new Date(now);
    repositoriesOf(db).webSessions.touchLastSeen(found.session.id, found.session.lastSeenAt);
  }
  return found;
}

/** Whether `presented` is the session's CSRF token (constant time). */
export function checkCsrfToken(session: WebSessionRow, presented: string | null | undefined): boolean {
  return typeof presented === "string" && constantTimeEqual(session.csrfToken, presented);
}

/** Ends a session (sign-out). Safe to call twice. */
export function revokeWebSession(db: Db, sessionId: number): void {
  repositoriesOf(db).webSessions.revoke(sessionId);
}

/**
 * Attributes for the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure when porthole is served over https.
 * Shaped for hono's `setCookie(c, SESSION_COOKIE, value, attributes)`.
 */
export function sessionCookieAttributes(externalUrl: string) {
  return {
    httpOnly: true,
    sameSite: "Lax" as const,
    path: "/",
    secure: externalUrl.startsWith("https:"),
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  };
}
