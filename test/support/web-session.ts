// A signed-in browser session of a test porthole, made in its database: the cookie, and forms posted with it.
import { createWebSession } from "../../src/auth/web-sessions.ts";
import type { TestPorthole } from "./porthole.ts";

export interface TestWebSession {
  /** The `Cookie` header value. */
  cookie: string;
  /** The server's origin, as a browser sends it in `Origin`. */
  origin: string;
  /** POSTs `fields` (with the session's CSRF token) to page `path` as a browser form would; redirects not followed. */
  submit(path: string, fields?: Record<string, string>): Promise<Response>;
}

export function webSession(t: TestPorthole, userId: number): TestWebSession {
  const { cookieValue, csrfToken } = createWebSession(t.porthole.store.db, userId, {});
  const cookie = `_porthole_session=${cookieValue}`;
  const origin = new URL(t.url).origin;
  return {
    cookie,
    origin,
    submit: (path, fields = {}) =>
      fetch(`${t.url}${path}`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...fields, authenticity_token: csrfToken }),
        redirect: "manual",
      }),
  };
}
