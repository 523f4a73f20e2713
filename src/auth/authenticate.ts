// Turns a request's credentials (token headers, job token, session cookie) into an Actor, or says they are invalid.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { JobRow, UserRow, WebSessionRow } from "../store/rows.ts";
import type { Actor } from "./actor.ts";
import { constantTimeEqual, hashToken } from "./secrets.ts";
import { authenticateToken } from "./tokens.ts";
import { authenticateSession, SESSION_COOKIE } from "./web-sessions.ts";

/**
 * `anonymous`: no credentials at all; `invalid`: credentials that did not check out (always 401, never anonymous).
 * Session actors come with their session row, whose `csrfToken` state-changing requests must present.
 */
export type AuthOutcome = { actor: Actor; session?: WebSessionRow } | { anonymous: true } | { invalid: true };

/**
 * Reads, in this order: `PRIVATE-TOKEN`, `Authorization: Bearer`, `JOB-TOKEN`, then the session cookie.
 * A token header that is present wins over the cookie, and a bad one is `invalid` even when a cookie is valid.
 * The caller checks the CSRF header for session actors on state-changing requests.
 */
export function authenticateRequest(db: Db, headers: Headers, cookies: Record<string, string>): AuthOutcome {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const personal = headers.get("private-token") ?? bearer;
  if (personal !== undefined && personal !== null) {
    const found = authenticateToken(db, personal.trim());
    if (!found) return { invalid: true };
    return {
      actor: { user: found.user, via: "token", scopes: tokenScopes(found.token.scopes), tokenId: found.token.id },
    };
  }
  const jobToken = headers.get("job-token");
  if (jobToken !== null) {
    const found = authenticateJobToken(db, jobToken.trim());
    if (!found) return { invalid: true };
    return { actor: jobActor(found) };
  }
  const cookie = cookies[SESSION_COOKIE];
  if (cookie !== undefined) {
    const found = authenticateSession(db, cookie);
    if (!found) return { invalid: true };
    return {
      actor: { user: found.user, via: "session", scopes: ["api"], sessionId: found.session.id },
      session: found.session,
    };
  }
  return { anonymous: true };
}

/** The running job whose CI_JOB_TOKEN this is, with the user who started it; null for anything else. */
export function authenticateJobToken(db: Db, token: string): { job: JobRow; user: UserRow } | null {
  if (token.length === 0 || token.length > 256) return null;
  const hash = hashToken(token);
  const found = repositoriesOf(db).jobs.findWithUserByTokenHash(hash);
  if (!found?.job.tokenHash || !constantTimeEqual(found.job.tokenHash, hash)) return null;
  if (found.job.status !== "running" || found.user.state !== "active") return null;
  return found;
}

/** An Actor for a job token: the job's user, read-only, confined to the job's project. */
export function jobActor(found: { job: JobRow; user: UserRow }): Actor {
  return { user: found.user, via: "job", scopes: ["read_api"], jobId: found.job.id, projectScope: found.job.projectId };
}

function tokenScopes(scopes: string[]): Actor["scopes"] {
  return scopes.filter((s): s is "api" | "read_api" => s === "api" || s === "read_api");
}
