// Request authentication for /api/v4: sets the actor, refuses bad credentials, enforces CSRF and token scopes.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { authenticateRequest } from "../../auth/authenticate.ts";
import { scopeAllows } from "../../auth/permissions.ts";
import { checkCsrfToken } from "../../auth/web-sessions.ts";
import { externalUrl } from "../../config/schema.ts";
import { RUNNER_UPLOAD_PATH } from "../api/runner-artifacts.ts";
import type { ApiEnv } from "../env.ts";
import { CROSS_ORIGIN_MESSAGE, originAllowed } from "./same-origin.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Sets `actor` (null when anonymous). Answers 401 for credentials that do not check out and for
 * cookie-authenticated state-changing requests without the session's `X-CSRF-Token`; 403 for those from a
 * foreign `Origin`; 403 insufficient_scope for a `read_api` token on a state-changing request (a job token's
 * artifact upload excepted).
 */
/** Artifact downloads GitLab also lets a job authorize with `?job_token=$CI_JOB_TOKEN` (for curl in scripts). */
const QUERY_TOKEN_PATH = /^\/api\/v4\/projects\/[^/]+\/jobs\/(?:\d+\/artifacts|artifacts\/)/;

/** The request's headers, with `?job_token=` as JOB-TOKEN on artifact downloads that carry no other credential. */
function withQueryJobToken(req: Request): Headers {
  const url = new URL(req.url);
  const token = url.searchParams.get("job_token");
  if (token === null || req.method !== "GET" || !QUERY_TOKEN_PATH.test(url.pathname)) return req.headers;
  if (req.headers.has("job-token") || req.headers.has("private-token") || req.headers.has("authorization"))
    return req.headers;
  const headers = new Headers(req.headers);
  headers.set("JOB-TOKEN", token);
  return headers;
}

export function authenticate(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const db = c.get("deps").store.db;
    const outcome = authenticateRequest(db, withQueryJobToken(c.req.raw), getCookie(c));
    if ("invalid" in outcome) return c.json({ message: "401 Unauthorized" }, 401);
    const actor = "actor" in outcome ? outcome.actor : null;
    const safe = SAFE_METHODS.has(c.req.method);
    if (actor?.via === "session" && !safe) {
      if (!originAllowed(c.req.header("origin"), externalUrl(c.get("deps").config))) {
        return c.json({ message: CROSS_ORIGIN_MESSAGE }, 403);
      }
      const session = "session" in outcome ? outcome.session : undefined;
      if (!session || !checkCsrfToken(session, c.req.header("x-csrf-token"))) {
        return c.json({ message: "401 Unauthorized" }, 401);
      }
    }
    // A running job uploads its own artifacts with its read-only CI_JOB_TOKEN (GitLab's runner endpoint).
    const jobUpload = actor?.via === "job" && RUNNER_UPLOAD_PATH.test(new URL(c.req.url).pathname);
    if (actor && !jobUpload && !scopeAllows(actor, c.req.method)) {
      return c.json(
        {
          error: "insufficient_scope",
          error_description: "The request requires higher privileges than provided by the access token.",
          scope: "api",
        },
        403,
      );
    }
    c.set("actor", actor);
    await next();
  };
}
