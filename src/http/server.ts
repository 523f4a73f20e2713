// startHttpServer: serves the app with Bun.serve, with hooks for bundled page routes and WebSocket upgrades.
import type { Server, WebSocketHandler } from "bun";
import type { Hono } from "hono";
import { ConfigError } from "../config/problems.ts";
import { requestWithoutRoot, responseUnderRoot } from "./relative-root.ts";

export interface HttpServerOptions {
  /** `host:port`; port 0 picks a free one. */
  listen: string;
  /** Seconds before an idle connection is closed (Bun's default: 10). */
  idleTimeoutSeconds?: number;
  /** Bun.serve `routes` (e.g. HTML imports bundled into the binary); they take precedence over the app. */
  routes?: Record<string, unknown>;
  /**
   * Tried first for requests with `Upgrade: websocket`: `handle` upgrades (returning undefined) or answers with
   * a Response (refusal). `websocket` is the Bun handler for the upgraded sockets.
   */
  /**
   * GitLab's relative URL root (`/ci`, or "" at the root; see relative-root.ts): taken off request paths before the
   * app sees them, put on the redirects, cookies and HTML it answers. The upgrade handler strips it itself.
   */
  relativeRoot?: string;
  upgrade?: {
    // biome-ignore lint/suspicious/noExplicitAny: the socket data type belongs to the upgrade handler, not the server
    handle(req: Request, server: Server<any>): Promise<Response | undefined>;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    websocket: WebSocketHandler<any>;
  };
}

export interface HttpServer {
  /** `http://host:port` with the port actually bound. */
  url: string;
  port: number;
  /**
   * Stops listening, aborts `stopping` (open event streams end themselves), lets responses in flight finish for
   * up to `graceMs`, then closes every connection that is left.
   */
  stop(graceMs?: number): Promise<void>;
}

function splitListen(listen: string): { hostname: string; port: number } {
  const at = listen.lastIndexOf(":");
  const port = Number(listen.slice(at + 1));
  if (at < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`listen must be host:port, got ${JSON.stringify(listen)}`);
  }
  return { hostname: listen.slice(0, at) || "127.0.0.1", port };
}

/**
 * Binds `listen` for this process alone: Bun turns SO_REUSEPORT on for production servers (`development: false`),
 * which let a second server share a taken port and steal part of its traffic. Throws a ConfigError
 * (`listen <addr>: address already in use`) when another socket has the address.
 */
function serveExclusively<T>(listen: string, start: (exclusive: { reusePort: false }) => T): T {
  try {
    return start({ reusePort: false });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE")
      throw new ConfigError([`listen ${listen}: address already in use`]);
    throw error;
  }
}

/** The address with port 0 replaced by a free one, after checking that it can be bound (see serveExclusively). */
export function claimListenAddress(listen: string): string {
  const { hostname, port } = splitListen(listen);
  const probe = serveExclusively(listen, (exclusive) =>
    Bun.serve({ hostname, port, development: false, ...exclusive, fetch: () => new Response() }),
  );
  const chosen = probe.port;
  probe.stop(true);
  return `${listen.slice(0, listen.lastIndexOf(":"))}:${chosen}`;
}

/**
 * Bun serves the script and style chunks of `routes`' HTML imports (the terminal page) at the root, as
 * `/chunk-<hash>.js|css`, matched before `fetch`. Under a relative root the browser asks for them under it; they are
 * then fetched from this same server at the root.
 */
const BUN_CHUNK = /^\/chunk-[a-z0-9]+\.(?:js|css)$/;

/** Starts listening at once; throws if the address is taken (a ConfigError) or invalid. */
// biome-ignore lint/suspicious/noExplicitAny: any app, whatever its env type
export function startHttpServer(app: Hono<any>, opts: HttpServerOptions): HttpServer {
  const { hostname, port } = splitListen(opts.listen);
  const upgrade = opts.upgrade;
  const stopping = new AbortController();
  const server = serveExclusively(opts.listen, (exclusive) =>
    Bun.serve({
      ...exclusive,
      hostname,
      port,
      routes: opts.routes as never,
      // Production bundling of HTML routes also from source: no dev-server inline script (the CSP forbids it), no HMR.
      development: false,
      ...(opts.idleTimeoutSeconds === undefined ? {} : { idleTimeout: opts.idleTimeoutSeconds }),
      websocket: upgrade?.websocket ?? { message() {} },
      async fetch(req, srv) {
        if (upgrade && req.headers.get("upgrade")?.toLowerCase() === "websocket") {
          const answer = await upgrade.handle(req, srv);
          if (answer === undefined) return undefined as unknown as Response;
          return answer;
        }
        const root = opts.relativeRoot ?? "";
        const inner = requestWithoutRoot(req, root);
        if (inner !== req && BUN_CHUNK.test(new URL(inner.url).pathname))
          return fetch(new URL(new URL(inner.url).pathname, srv.url));
        const res = await app.fetch(inner, { server: srv, stopping: stopping.signal });
        return responseUnderRoot(res, root);
      },
    }),
  );
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port!,
    async stop(graceMs = 0) {
      stopping.abort();
      await Promise.race([server.stop(false), Bun.sleep(graceMs)]);
      await server.stop(true);
    },
  };
}
