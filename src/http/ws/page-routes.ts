// The terminal page (bundled into the binary through Bun's HTML import), served with every page's security headers.
import { Hono } from "hono";
import terminalPage from "../../../web/terminal.html";
import type { ApiEnv } from "../env.ts";
import { securityHeaders, TERMINAL_PAGE_CSP } from "../ui/middleware/security-headers.ts";

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

/** The page at `/<namespace>/<project>/-/jobs/<id>/terminal` (the job page's Debug button links here). */
export function createTerminalPageRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/:namespace/:project/-/jobs/:id/terminal", securityHeaders(TERMINAL_PAGE_CSP), async (c) => {
    const server = c.env?.server;
    if (!server) return c.text("503 the terminal page is served by the HTTP server only", 503);
    return c.html(await bundledPage(server));
  });
  return app;
}
