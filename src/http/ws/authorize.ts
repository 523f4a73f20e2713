// Decides a terminal WebSocket request before any upgrade (credentials, visibility, role, origin, job state),
// and re-decides it for a connection that is open.
import { parse as parseCookies } from "hono/utils/cookie";
import { resolveJob } from "../../auth/access.ts";
import type { Actor } from "../../auth/actor.ts";
import { authenticateRequest } from "../../auth/authenticate.ts";
import { SESSION_COOKIE } from "../../auth/web-sessions.ts";
import type { TerminalSessions } from "../../session/broker.ts";
import type { TerminalMode } from "../../session/types.ts";
import type { Db } from "../../store/db.ts";
import type { JobRow } from "../../store/rows.ts";
import { pickSubprotocol, SUBPROTOCOLS, type Subprotocol } from "./protocols.ts";

/** `/<namespace>/<project>/-/jobs/<id>/terminal.ws` */
export const TERMINAL_WS_PATH = /^\/(.+)\/([^/]+)\/-\/jobs\/(\d+)\/terminal\.ws$/;

/** The credentials a terminal request presented, kept so that an open connection can be re-checked with them. */
export interface TerminalCredentials {
  headers: Headers;
  cookies: Record<string, string>;
}

/** Everything the socket needs once upgraded. */
export interface TerminalRequest {
  jobId: number;
  projectId: number;
  userId: number;
  credentials: TerminalCredentials;
  protocol: Subprotocol;
  /** Asked for with `?mode=rw|ro`; otherwise the session decides. */
  mode?: TerminalMode;
  size: { cols: number; rows: number };
  /** `?flow=ack`: the client acknowledges output it has processed ({"type":"ack"}), for flow control. */
  ack: boolean;
  userAgent: string | null;
}

const refuse = (status: number, message: string) => Response.json({ message }, { status });

/** Why access is refused: the HTTP status and GitLab-style message of the refusal. */
export interface Refusal {
  status: number;
  message: string;
}

function sizeParam(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : fallback;
}

/**
 * The request's terminal parameters, or the refusal to send instead of upgrading: 401 (no or bad credentials),
 * 404 (no such project or job, or the caller may not see it), 403 (role too low, someone else's job for a
 * Developer, cookie sign-in from another origin), 409 (job not running or no terminal offered), 400 (no
 * supported subprotocol or a bad parameter).
 */
export function authorizeTerminal(
  db: Db,
  sessions: TerminalSessions,
  externalUrl: string,
  req: Request,
): TerminalRequest | Response {
  const url = new URL(req.url);
  const match = url.pathname.match(TERMINAL_WS_PATH);
  if (!match) return refuse(404, "404 Not Found");
  const credentials = credentialsOf(req.headers);
  const ref = `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
  const access = terminalAccess(db, credentials, ref, Number(match[3]), req.headers.get("origin"), externalUrl);
  if ("status" in access) return refuse(access.status, access.message);
  const { actor, job } = access;
  if (job.status !== "running") return refuse(409, `409 Conflict - job is ${job.status}, not running`);
  if (!sessions.available(job.id)) return refuse(409, "409 Conflict - no terminal available for this job");
  const protocol = pickSubprotocol(req.headers.get("sec-websocket-protocol"));
  if (!protocol) return refuse(400, `400 Bad request - offer one of the subprotocols ${SUBPROTOCOLS.join(", ")}`);
  const mode = url.searchParams.get("mode");
  if (mode !== null && mode !== "rw" && mode !== "ro") return refuse(400, "400 Bad request - mode must be rw or ro");
  return {
    jobId: job.id,
    projectId: job.projectId,
    userId: actor.user.id,
    credentials,
    protocol,
    mode: mode ?? undefined,
    size: { cols: sizeParam(url.searchParams.get("cols"), 80), rows: sizeParam(url.searchParams.get("rows"), 24) },
    ack: url.searchParams.get("flow") === "ack",
    userAgent: req.headers.get("user-agent"),
  };
}

/**
 * Whether an open terminal connection is still allowed, decided as at its upgrade with the credentials it
 * presented then: null when it is, else the refusal it would get now (its credential was revoked or expired, its
 * user blocked, deleted or demoted, its membership removed or lowered). The job's state is not re-checked here:
 * the session ends with the job.
 */
export function reauthorizeTerminal(db: Db, request: TerminalRequest): Refusal | null {
  const access = terminalAccess(db, request.credentials, String(request.projectId), request.jobId, null, null);
  if ("status" in access) return access;
  return access.actor.user.id === request.userId ? null : { status: 401, message: "401 Unauthorized" };
}

/**
 * The decision shared by the upgrade and every re-check: the credentials, then project visibility, the job and
 * the role. `origin` is checked against `externalUrl` for cookie sign-ins when `externalUrl` is given.
 */
function terminalAccess(
  db: Db,
  credentials: TerminalCredentials,
  projectRef: string,
  jobId: number,
  origin: string | null,
  externalUrl: string | null,
): { actor: Actor; job: JobRow } | Refusal {
  const outcome = authenticateRequest(db, credentials.headers, credentials.cookies);
  if (!("actor" in outcome)) return { status: 401, message: "401 Unauthorized" };
  const actor = outcome.actor;
  if (externalUrl !== null && actor.via === "session" && origin !== new URL(externalUrl).origin) {
    return { status: 403, message: "403 Forbidden - cross-origin terminal request" };
  }
  const access = resolveJob(db, actor, projectRef, jobId, "open_terminal");
  if (!access.ok && access.decision === "not_found") return { status: 404, message: `404 ${access.what} Not Found` };
  if (!access.ok) return { status: 403, message: "403 Forbidden" };
  return { actor, job: access.job };
}

/** Only the headers and the cookie authenticateRequest reads, so that nothing else of the request is kept. */
function credentialsOf(headers: Headers): TerminalCredentials {
  const kept = new Headers();
  for (const name of ["private-token", "authorization", "job-token"]) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  const cookie = parseCookies(headers.get("cookie") ?? "")[SESSION_COOKIE];
  return { headers: kept, cookies: cookie === undefined ? {} : { [SESSION_COOKIE]: cookie } };
}
