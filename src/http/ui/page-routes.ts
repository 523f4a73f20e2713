// Registers page routes with their middleware (headers, session, CSRF) per route, so nothing leaks onto /api/v4.
import type { Handler, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { externalUrl } from "../../config/schema.ts";
import type { UiDeps, UiEnv } from "./env.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { loadSession, requireCsrf } from "./middleware/session.ts";

/** Form posts carry at most this much (inline CI YAML is the largest field). */
export const MAX_FORM_BYTES = 1024 * 1024;

export interface PageRouter {
  /** `csp` replaces the page Content-Security-Policy for this route (the recording player needs WebAssembly). */
  get(path: string, handler: Handler<UiEnv>, csp?: string): void;
  post(path: string, handler: Handler<UiEnv>): void;
  /** For non-page answers (SVG badge, raw log, event streams): session and headers, no layout assumptions. */
  app: Hono<UiEnv>;
}

export function pageRouter(app: Hono<UiEnv>, deps: UiDeps): PageRouter {
  const session = loadSession(deps, externalUrl(deps.config).startsWith("https:"));
  const common: MiddlewareHandler<UiEnv>[] = [securityHeaders(), session];
  const posting: MiddlewareHandler<UiEnv>[] = [
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => c.text("413 Payload Too Large: the form is larger than 1 MiB.", 413),
    }),
    requireCsrf(),
  ];
  const register = (method: "GET" | "POST", path: string, chain: (MiddlewareHandler<UiEnv> | Handler<UiEnv>)[]) => {
    for (const h of chain) app.on(method, path, h);
  };
  return {
    get: (path, handler, csp) =>
      register("GET", path, csp ? [securityHeaders(csp), session, handler] : [...common, handler]),
    post: (path, handler) => register("POST", path, [...common, ...posting, handler]),
    app,
  };
}
