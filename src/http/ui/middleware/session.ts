// Page sign-in state: reads the session cookie into an Actor, and refuses state-changing forms without the CSRF token.
import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { constantTimeEqual } from "../../../auth/secrets.ts";
import { authenticateSession, checkCsrfToken, SESSION_COOKIE } from "../../../auth/web-sessions.ts";
import { externalUrl } from "../../../config/schema.ts";
import { CROSS_ORIGIN_MESSAGE, originAllowed } from "../../middleware/same-origin.ts";
import type { UiDeps, UiEnv } from "../env.ts";

/** Before sign-in, forms are protected by a double-submit cookie (SameSite=Lax keeps it off cross-site posts). */
export const PRE_SESSION_CSRF_COOKIE = "_porthole_csrf";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const randomToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");

/** Sets `deps`, `actor`, `session` and `csrfToken` for every page request. A stale cookie is dropped. */
export function loadSession(deps: UiDeps, secureCookies: boolean): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    c.set("deps", deps);
    const cookie = getCookie(c, SESSION_COOKIE);
    const found = cookie ? authenticateSession(deps.store.db, cookie) : null;
    if (cookie && !found) deleteCookie(c, SESSION_COOKIE, { path: "/" });
    c.set("session", found?.session ?? null);
    c.set("actor", found ? { user: found.user, via: "session", scopes: ["api"], sessionId: found.session.id } : null);
    let csrf = found?.session.csrfToken ?? getCookie(c, PRE_SESSION_CSRF_COOKIE);
    if (!csrf || csrf.length > 64) {
      csrf = randomToken();
      setCookie(c, PRE_SESSION_CSRF_COOKIE, csrf, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        secure: secureCookies,
      });
    }
    c.set("csrfToken", csrf);
    await next();
  };
}

/**
 * Refuses POST/PUT/PATCH/DELETE whose `authenticity_token` field (or `X-CSRF-Token` header) is not the session's
 * token, or, before sign-in, not the pre-session cookie's. Answers 422 like GitLab's InvalidAuthenticityToken,
 * and 403 first for a request whose `Origin` is not porthole's own.
 */
export function requireCsrf(): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method)) return next();
    if (!originAllowed(c.req.header("origin"), externalUrl(c.get("deps").config)))
      return c.text(CROSS_ORIGIN_MESSAGE, 403);
    const header = c.req.header("x-csrf-token");
    const form = header ? null : await c.req.parseBody().catch(() => null);
    const presented = header ?? (typeof form?.authenticity_token === "string" ? form.authenticity_token : undefined);
    const session = c.get("session");
    const ok = session
      ? checkCsrfToken(session, presented)
      : typeof presented === "string" && constantTimeEqual(c.get("csrfToken"), presented);
    if (!ok) {
      return c.text(
        "422 Unprocessable Entity: the form's authenticity token is missing or stale. Reload the page and try again.",
        422,
      );
    }
    await next();
  };
}
