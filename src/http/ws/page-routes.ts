// The terminal page (bundled into the binary through Bun's HTML import), served with every page's security headers.
import { Hono } from "hono";
import terminalPage from "../../../web/terminal.html";
import type { TerminalSessions } from "../../session/broker.ts";
import type { Db } from "../../store/db.ts";
import type { ApiEnv } from "../env.ts";
import { assetUrls } from "../ui/assets.ts";
import { securityHeaders, TERMINAL_PAGE_CSP } from "../ui/middleware/security-headers.ts";
import { checkTerminal } from "./authorize.ts";

/**
 * Where Bun serves the bundled page itself: a path no one can guess (new each start), which only this server
 * fetches. Bun's routes cannot add headers, so the page's own path goes through the middleware below instead.
 */
const BUNDLE_PATH = `/-/terminal-page/${crypto.randomUUID()}`;

/** Bun.serve `routes` for startHttpServer: the bundle (and the script and style chunks Bun serves beside it). */
export const terminalPageRoutes = { [BUNDLE_PATH]: terminalPage };

/**
 * The page's HTML, read once per server from its bundle route (Bun builds it when that server starts; the HTML
 * names assets of that server, so one server's copy is no good to another in the same process).
 */
const bundled = new WeakMap<object, Promise<string>>();

async function bundledPage(server: { url: URL }): Promise<string> {
  let page = bundled.get(server);
  if (!page) {
    page = fetch(new URL(BUNDLE_PATH, server.url)).then(async (res) => {
      if (!res.ok) throw new Error(`the terminal page bundle answered ${res.status}`);
      return res.text();
    });
    bundled.set(server, page);
  }
  return page.catch((error: unknown) => {
    bundled.delete(server);
    throw error;
  });
}

/**
 * The page at `/<namespace>/<project>/-/jobs/<id>/terminal` (the job page's Debug button links here), and its
 * preflight `…/terminal/check`: the refusal the socket would get, as JSON, because a browser cannot read the
 * status of a refused WebSocket.
 */
export function createTerminalPageRoutes(deps: {
  db: Db;
  sessions: TerminalSessions;
  /** `[terminal] anonymous_share_links` */
  anonymousShareLinks?: boolean;
}): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/:namespace/:project/-/jobs/:id/terminal/check", (c) => {
    const jobId = Number(c.req.param("id"));
    if (!Number.isSafeInteger(jobId)) return c.json({ message: "404 Job Not Found", reason: "not_found" }, 404);
    const projectRef = `${c.req.param("namespace")}/${c.req.param("project")}`;
    const refusal = checkTerminal(deps.db, deps.sessions, c.req.raw.headers, projectRef, jobId, {
      token: c.req.query("share") ?? null,
      anonymousAllowed: deps.anonymousShareLinks ?? false,
    });
    c.header("Cache-Control", "no-store");
    if (!refusal) return c.json({ available: true });
    const { status, ...body } = refusal;
    return c.json(body, status as 401 | 403 | 404 | 409);
  });
  app.get("/:namespace/:project/-/jobs/:id/terminal", securityHeaders(TERMINAL_PAGE_CSP), async (c) => {
    const server = c.env?.server;
    if (!server) return c.text("503 the terminal page is served by the HTTP server only", 503);
    // The icon link (a hashed asset URL the static page cannot know): without one, browsers ask for the site
    // root's /favicon.ico, outside a relative URL root.
    const icon = `<link rel="icon" href="${assetUrls().icon}" type="image/svg+xml">`;
    return c.html((await bundledPage(server)).replace("</head>", `${icon}</head>`));
  });
  return app;
}
