// Sign in and sign out: password check, a new session cookie per sign-in, audit events, throttled guessing.
/** @jsxImportSource hono/jsx */
import { deleteCookie, setCookie } from "hono/cookie";
import { audit } from "../../../auth/audit.ts";
import { createSignInThrottle } from "../../../auth/sign-in-throttle.ts";
import { authenticatePassword } from "../../../auth/users.ts";
import {
  createWebSession,
  revokeWebSession,
  SESSION_COOKIE,
  sessionCookieAttributes,
} from "../../../auth/web-sessions.ts";
import { externalUrl } from "../../../config/schema.ts";
import { clientIp } from "../../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { SignInPage } from "../pages/sign-in.tsx";
import { renderPage } from "../render.tsx";
import { safeRedirectPath } from "../urls.ts";
import { setFlash } from "../views/flash.ts";

const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string) : "";

export function addAuthRoutes(app: PageRouter): void {
  const throttle = createSignInThrottle();

  app.get("/users/sign_in", (c) => {
    if (c.get("actor")) return c.redirect(safeRedirectPath(c.req.query("redirect_to")));
    return renderPage(
      c,
      "Sign in",
      <SignInPage csrfToken={c.get("csrfToken")} redirectTo={c.req.query("redirect_to")} />,
    );
  });

  app.post("/users/sign_in", async (c) => {
    const form = await c.req.parseBody();
    const login = field(form, "user[login]").trim();
    const password = field(form, "user[password]");
    const redirectTo = field(form, "redirect_to");
    const again = (error: string, status: 401 | 422 | 429) =>
      renderPage(
        c,
        "Sign in",
        <SignInPage csrfToken={c.get("csrfToken")} login={login} redirectTo={redirectTo} error={error} />,
        { status },
      );
    if (!login || !password) return again(!login ? "Enter your username or email." : "Enter your password.", 422);
    const { db } = c.get("deps").store;
    const wait = throttle.waitSeconds(login, clientIp(c));
    if (wait > 0) {
      audit(db, {
        action: "sign_in_failed",
        actor: null,
        details: { login: login.slice(0, 255), throttled: true },
        ip: clientIp(c),
      });
      return again(`Too many failed attempts. Try again in ${wait} seconds.`, 429);
    }
    const user = await authenticatePassword(db, login, password);
    if (!user) {
      throttle.failed(login, clientIp(c));
      audit(db, { action: "sign_in_failed", actor: null, details: { login: login.slice(0, 255) }, ip: clientIp(c) });
      return again("Invalid login or password.", 401);
    }
    throttle.succeeded(login);
    const { cookieValue, session } = createWebSession(db, user.id, {
      ip: clientIp(c),
      userAgent: c.req.header("user-agent"),
    });
    setCookie(c, SESSION_COOKIE, cookieValue, sessionCookieAttributes(externalUrl(c.get("deps").config)));
    audit(db, { action: "sign_in", actor: { user }, details: { session_id: session.id }, ip: clientIp(c) });
    return c.redirect(safeRedirectPath(redirectTo), 303);
  });

  app.post("/users/sign_out", (c) => {
    const session = c.get("session");
    if (session) revokeWebSession(c.get("deps").store.db, session.id);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    setFlash(c, "notice", "Signed out successfully.");
    return c.redirect("/users/sign_in", 303);
  });
}
