// Security headers for every page: a strict CSP (no inline scripts or styles), no framing, no sniffing, no referrer leaks.
import type { MiddlewareHandler } from "hono";

/** Scripts and styles only from porthole itself; SSE and fetch only to it; no plugins, no framing, no foreign forms. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The terminal page's policy: xterm.js writes its own <style> elements, so inline styles (never scripts) are allowed. */
export const TERMINAL_PAGE_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

/** The recording player's: asciinema-player's terminal is WebAssembly (compiled in the page) and styles itself inline. */
export const PLAYER_PAGE_CSP = TERMINAL_PAGE_CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'");

/** Sets the page security headers on every response of the routes it wraps (errors included). */
export function securityHeaders(csp: string = PAGE_CSP): MiddlewareHandler {
  return async (c, next) => {
    await next();
    let h = c.res.headers;
    if (Object.isFrozen(h) || !trySet(h)) {
      c.res = new Response(c.res.body, c.res);
      h = c.res.headers;
    }
    h.set("Content-Security-Policy", csp);
    h.set("X-Frame-Options", "DENY");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "strict-origin-when-cross-origin");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  };
}

/** Whether the headers can be changed (Response.redirect() and fetch() responses have immutable ones). */
function trySet(h: Headers): boolean {
  try {
    h.set("X-Content-Type-Options", "nosniff");
    return true;
  } catch {
    return false;
  }
}
