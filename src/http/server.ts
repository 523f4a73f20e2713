// startHttpServer: serves the app with Bun.serve, with hooks for bundled page routes and WebSocket upgrades.
import type { Server, WebSocketHandler } from "bun";
import type { Hono } from "hono";

export interface HttpServerOptions {
  /** `host:port`; port 0 picks a free one. */
  listen: string;
  /** Bun.serve `routes` (e.g. HTML imports bundled into the binary); they take precedence over the app. */
  routes?: Record<string, unknown>;
  /**
   * Tried first for requests with `Upgrade: websocket`: `handle` upgrades (returning undefined) or answers with
   * a Response (refusal). `websocket` is the Bun handler for the upgraded sockets.
   */
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
  /** Stops listening and closes open connections (live log streams included). */
  stop(): Promise<void>;
}

function splitListen(listen: string): { hostname: string; port: number } {
  const at = listen.lastIndexOf(":");
  const port = Number(listen.slice(at + 1));
  if (at < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`listen must be host:port, got ${JSON.stringify(listen)}`);
  }
  return { hostname: listen.slice(0, at) || "127.0.0.1", port };
}

/** Starts listening at once; throws if the address is taken or invalid. */
// biome-ignore lint/suspicious/noExplicitAny: any app, whatever its env type
export function startHttpServer(app: Hono<any>, opts: HttpServerOptions): HttpServer {
  const { hostname, port } = splitListen(opts.listen);
  const upgrade = opts.upgrade;
  const server = Bun.serve({
    hostname,
    port,
    routes: opts.routes as never,
    // Production bundling of HTML routes also from source: no dev-server inline script (the CSP forbids it), no HMR.
    development: false,
    websocket: upgrade?.websocket ?? { message() {} },
    async fetch(req, srv) {
      if (upgrade && req.headers.get("upgrade")?.toLowerCase() === "websocket") {
        const answer = await upgrade.handle(req, srv);
        if (answer === undefined) return undefined as unknown as Response;
        return answer;
      }
      return app.fetch(req, { server: srv });
    },
  });
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port!,
    stop: () => server.stop(true),
  };
}
