// Who is making a request: the user, how they proved it, and what that credential is limited to.
import type { UserRow } from "../store/rows.ts";
import type { TokenScope } from "./tokens.ts";

/**
 * An authenticated caller. `null` wherever an Actor is expected means "anonymous".
 * - `token`: a personal access token, limited by its scopes.
 * - `session`: the browser's sign-in cookie; full `api` scope, but state-changing API calls need the CSRF header.
 * - `job`: a running job's CI_JOB_TOKEN, acting as the job's user, read-only and only inside the job's project.
 * - `trigger`: a trigger token or CI_JOB_TOKEN sent to `POST …/trigger/pipeline`, acting as the trigger's owner or
 *   the job's user, for creating that pipeline only.
 */
export interface Actor {
  user: UserRow;
  via: "token" | "session" | "job" | "trigger";
  scopes: readonly TokenScope[];
  tokenId?: number;
  sessionId?: number;
  jobId?: number;
  /** For job tokens: the one project this actor may touch. */
  projectScope?: number;
}
