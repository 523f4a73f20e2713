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
import { decodeSegment } from "../path-segment.ts";
import { relativeRoot, stripRoot } from "../relative-root.ts";
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
  const decided = decideTerminal(db, sessions, externalUrl, req);
  return "status" in decided ? refuse(decided.status, decided.message) : decided;
}

/**
 * authorizeTerminal that, for a job still on its way (pending, preparing, or running without a terminal offered
 * yet), waits up to `waitMs` for the terminal to be offered instead of refusing at once, as GitLab's session
 * server waits for the build's environment. Gives up early when the client goes away.
 */
export async function authorizeTerminalWaiting(
  db: Db,
  sessions: TerminalSessions,
  externalUrl: string,
  req: Request,
  waitMs: number,
): Promise<TerminalRequest | Response> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const decided = decideTerminal(db, sessions, externalUrl, req);
    if (!("status" in decided)) return decided;
    if (!decided.waitable || Date.now() >= deadline || req.signal.aborted)
      return refuse(decided.status, decided.message);
    await Bun.sleep(OFFER_POLL_MS);
  }
}

/** How often a waiting upgrade looks again whether the terminal is offered. */
const OFFER_POLL_MS = 200;

function decideTerminal(
  db: Db,
  sessions: TerminalSessions,
  externalUrl: string,
  req: Request,
): TerminalRequest | (Refusal & { waitable?: boolean }) {
  const refuse = (status: number, message: string) => ({ status, message });
  const url = new URL(req.url);
  const match = stripRoot(url.pathname, relativeRoot(externalUrl)).match(TERMINAL_WS_PATH);
  if (!match) return refuse(404, "404 Not Found");
  const credentials = credentialsOf(req.headers);
  const [namespace, path] = [decodeSegment(match[1]!), decodeSegment(match[2]!)];
  if (namespace === null || path === null) return refuse(404, "404 Project Not Found");
  const access = terminalAccess(
    db,
    credentials,
    `${namespace}/${path}`,
    Number(match[3]),
    req.headers.get("origin"),
    externalUrl,
  );
  if ("status" in access) return access;
  const { actor, job } = access;
  const unavailable = terminalUnavailable(sessions, job);
  if (unavailable) return { ...unavailable, waitable: ON_ITS_WAY.has(job.status) };
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

/** Job states from which the terminal may still be offered (the job has not started, or is preparing). */
const ON_ITS_WAY: ReadonlySet<string> = new Set(["created", "pending", "running"]);

/** 409 when the job is not running or offers no terminal (yet), else null. */
function terminalUnavailable(sessions: TerminalSessions, job: JobRow): Refusal | null {
  if (job.status !== "running") return { status: 409, message: `409 Conflict - job is ${job.status}, not running` };
  if (!sessions.available(job.id)) return { status: 409, message: "409 Conflict - no terminal available for this job" };
  return null;
}

/** Why a terminal refusal happened, for a page that cannot read a refused WebSocket's status. */
export type RefusalReason = "unauthorized" | "forbidden" | "not_found" | "not_running" | "not_offered";

/**
 * The decision an upgrade would get now, asked without upgrading (the terminal page's preflight): null when the
 * terminal may open, else the refusal and its reason. No origin check: the answer is only readable same-origin.
 */
export function checkTerminal(
  db: Db,
  sessions: TerminalSessions,
  headers: Headers,
  projectRef: string,
  jobId: number,
): (Refusal & { reason: RefusalReason; jobStatus?: string }) | null {
  const access = terminalAccess(db, credentialsOf(headers), projectRef, jobId, null, null);
  if ("status" in access) {
    const reason = access.status === 401 ? "unauthorized" : access.status === 404 ? "not_found" : "forbidden";
    return { ...access, reason };
  }
  const unavailable = terminalUnavailable(sessions, access.job);
  if (!unavailable) return null;
  const reason = ON_ITS_WAY.has(access.job.status) ? "not_offered" : "not_running";
  return { ...unavailable, reason, jobStatus: access.job.status };
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
