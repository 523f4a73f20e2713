// Page-test harness: the real app (API + pages) and queue over an in-memory SQLite store, real users and sessions,
// no runner; a small browser-like client that sends the session cookie and the form's CSRF token.
import { ROLES } from "../../auth/permissions.ts";
import { insertTestUser, TEST_PASSWORD } from "../../auth/users.testing.ts";
import { createWebSession, SESSION_COOKIE } from "../../auth/web-sessions.ts";
import { createProject, type ProjectFields } from "../../queue/project-changes.ts";
import type { ProjectRow, UserRow } from "../../store/rows.ts";
import { composeTestApp, TEST_BASE_URL } from "../compose.testing.ts";

export const BASE = TEST_BASE_URL;
export const PASSWORD = TEST_PASSWORD;

export interface Visitor {
  user: UserRow | null;
  cookie: string;
  csrf: string;
}

/** `dataDir`: a folder for repositories (mirrored projects); by default nothing touches the disk. */
export async function makeUiHarness(dataDir: string | null = null) {
  const { app, store, db, traces, queue, close } = composeTestApp(dataDir);

  const anonymous: Visitor = {
    user: null,
    cookie: "_porthole_csrf=anon-csrf-token-1234",
    csrf: "anon-csrf-token-1234",
  };
  async function visitor(username: string, opts: { admin?: boolean } = {}): Promise<Visitor> {
    const user = insertTestUser(db, { username, admin: opts.admin });
    const { cookieValue, csrfToken } = createWebSession(db, user.id, {});
    return { user, cookie: `${SESSION_COOKIE}=${cookieValue}`, csrf: csrfToken };
  }

  return {
    app,
    store,
    db,
    traces,
    queue,
    anonymous,
    visitor,
    get(path: string, as: Visitor = anonymous) {
      return app.request(`${BASE}${path}`, { headers: { cookie: as.cookie }, redirect: "manual" });
    },
    /** POSTs a form as `as`; the CSRF token is added unless `csrf` is given (use `null` to leave it out). */
    post(path: string, form: Record<string, string>, as: Visitor = anonymous, csrf?: string | null) {
      const body = new URLSearchParams(form);
      const token = csrf === undefined ? as.csrf : csrf;
      if (token !== null) body.set("authenticity_token", token);
      return app.request(`${BASE}${path}`, {
        method: "POST",
        body,
        redirect: "manual",
        headers: { cookie: as.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      });
    },
    project(owner: UserRow, fields: ProjectFields = {}): ProjectRow {
      return createProject(db, owner, { name: "demo", ci_config: "build:\n  script: echo hi\n", ...fields });
    },
    member(project: ProjectRow, who: UserRow, level: number = ROLES.developer) {
      store.repos.members.insert({ projectId: project.id, userId: who.id, accessLevel: level });
    },
    close,
  };
}

export type UiHarness = Awaited<ReturnType<typeof makeUiHarness>>;

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&#x27;": "'",
};

/** The text of the field error shown for field `name` in a page (entities decoded), or null. */
export function fieldError(html: string, name: string): string | null {
  const m = html.match(new RegExp(`data-error-for="${name.replace(/[[\]]/g, "\\$&")}"[^>]*>([^<]*)<`));
  return m ? m[1]!.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e]!) : null;
}
