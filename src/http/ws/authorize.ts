// Decides a terminal WebSocket request before any upgrade (credentials, visibility, role, origin, job state),
// and re-decides it for a connection that is open.
import { parse as parseCookies } from "hono/utils/cookie";
import { findProject, resolveJob } from "../../auth/access.ts";
import type { Actor } from "../../auth/actor.ts";
import { authenticateRequest } from "../../auth/authenticate.ts";
import { SESSION_COOKIE } from "../../auth/web-sessions.ts";
import type { TerminalSessions } from "../../session/broker.ts";
import { checkShareToken, type ShareRefusal } from "../../session/share-links.ts";
import type { TerminalMode } from "../../session/types.ts";
import { untilWoken } from "../../shared/until-woken.ts";
import type { Db } from "../../store/db.ts";
import { repositoriesOf } from "../../store/repositories.ts";
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
  /** Null for a visitor who is not signed in, watching through a share link (`terminal.anonymous_share_links`). */
  userId: number | null;
  credentials: TerminalCredentials;
  /** The read-only share link the connection came through: it only ever watches. */
  share?: { token: string; linkId: number };
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
  /** Set when a share link was the reason. */
  shareRefusal?: ShareRefusal;
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

/** Calls `wake` whenever something that decides `jobId`'s terminal may have changed (its row, an offer); returns the unsubscribe. */
export type JobWatch = (jobId: number, wake: () => void) => () => void;

/**
 * authorizeTerminal that, for a job still on its way (pending, preparing, or running without a terminal offered
 * yet), waits up to `wait.ms` for the terminal to be offered instead of refusing at once, as GitLab's session
 * server waits for the build's environment. It decides again when `wait.watch` reports a change of the job (and,
 * as a safety net, every RECHECK_MS); it gives up early when the client goes away.
 */
export async function authorizeTerminalWaiting(
  db: Db,
  sessions: TerminalSessions,
  externalUrl: string,
  req: Request,
  wait: { ms: number; watch: JobWatch },
  anonymousShareLinks = false,
): Promise<TerminalRequest | Response> {
  const deadline = Date.now() + wait.ms;
  for (;;) {
    const decided = decideTerminal(db, sessions, externalUrl, req, anonymousShareLinks);
    if (!("status" in decided)) return decided;
    if (decided.waitFor === undefined || Date.now() >= deadline || req.signal.aborted)
      return refuse(decided.status, decided.message);
    const jobId = decided.waitFor;
    await untilWoken((wake) => wait.watch(jobId, wake), Math.min(RECHECK_MS, deadline - Date.now()), req.signal);
  }
}

/** A waiting upgrade decides again at least this often, for a change that no event announced. */
const RECHECK_MS = 5_000;

/** The server's JobWatch: the broker's terminal offers and, when given, the queue's changes of job rows. */
export function watchJobs(
  sessions: TerminalSessions,
  jobChanges?: (listener: (jobId: number) => void) => () => void,
): JobWatch {
  return (jobId, wake) => {
    const ofThisJob = (id: number) => id === jobId && wake();
    const offers = sessions.onOffer(ofThisJob);
    const changes = jobChanges?.(ofThisJob);
    return () => {
      offers();
      changes?.();
    };
  };
}

function decideTerminal(
  db: Db,
  sessions: TerminalSessions,
  externalUrl: string,
  req: Request,
  anonymousShareLinks = false,
): TerminalRequest | (Refusal & { waitFor?: number }) {
  const refuse = (status: number, message: string) => ({ status, message });
  const url = new URL(req.url);
  const match = stripRoot(url.pathname, relativeRoot(externalUrl)).match(TERMINAL_WS_PATH);
  if (!match) return refuse(404, "404 Not Found");
  const credentials = credentialsOf(req.headers);
  const [namespace, path] = [decodeSegment(match[1]!), decodeSegment(match[2]!)];
  if (namespace === null || path === null) return refuse(404, "404 Project Not Found");
  const share = url.searchParams.get("share");
  const where = { projectRef: `${namespace}/${path}`, jobId: Number(match[3]) };
  const origin = { origin: req.headers.get("origin"), externalUrl };
  const access =
    share === null
      ? terminalAccess(db, credentials, where.projectRef, where.jobId, origin.origin, origin.externalUrl)
      : sharedTerminalAccess(db, credentials, where, share, origin, anonymousShareLinks);
  if ("status" in access) return access;
  const { actor, job } = access;
  const unavailable = terminalUnavailable(sessions, job);
  if (unavailable) return { ...unavailable, ...(ON_ITS_WAY.has(job.status) ? { waitFor: job.id } : {}) };
  const protocol = pickSubprotocol(req.headers.get("sec-websocket-protocol"));
  if (!protocol) return refuse(400, `400 Bad request - offer one of the subprotocols ${SUBPROTOCOLS.join(", ")}`);
  const mode = url.searchParams.get("mode");
  if (mode !== null && mode !== "rw" && mode !== "ro") return refuse(400, "400 Bad request - mode must be rw or ro");
  return {
    jobId: job.id,
    projectId: job.projectId,
    userId: actor?.user.id ?? null,
    credentials,
    protocol,
    ...(share !== null && "link" in access ? { share: { token: share, linkId: access.link } } : {}),
    mode: share !== null ? "ro" : (mode ?? undefined),
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
export type RefusalReason = "unauthorized" | "forbidden" | "not_found" | "not_running" | "not_offered" | ShareRefusal;

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
  share: { token: string | null; anonymousAllowed: boolean } = { token: null, anonymousAllowed: false },
): (Refusal & { reason: RefusalReason; jobStatus?: string }) | null {
  const credentials = credentialsOf(headers);
  const access =
    share.token === null
      ? terminalAccess(db, credentials, projectRef, jobId, null, null)
      : sharedTerminalAccess(db, credentials, { projectRef, jobId }, share.token, null, share.anonymousAllowed);
  if ("status" in access) {
    const reason: RefusalReason =
      access.shareRefusal ??
      (access.status === 401 ? "unauthorized" : access.status === 404 ? "not_found" : "forbidden");
    return { status: access.status, message: access.message, reason };
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
  const where = { projectRef: String(request.projectId), jobId: request.jobId };
  const access = request.share
    ? sharedTerminalAccess(db, request.credentials, where, request.share.token, null, request.userId === null)
    : terminalAccess(db, request.credentials, where.projectRef, where.jobId, null, null);
  if ("status" in access) return access;
  return (access.actor?.user.id ?? null) === request.userId ? null : { status: 401, message: "401 Unauthorized" };
}

const SHARE_REFUSALS: Record<ShareRefusal, string> = {
  link_invalid: "403 Forbidden - this share link is not valid",
  link_expired: "403 Forbidden - this share link has expired",
  link_revoked: "403 Forbidden - this share link was revoked",
};

/**
 * The decision for a connection through a read-only share link: the link (signature, expiry, revocation, this
 * job), then who: a signed-in user with Reporter access to the project (`watch_shared_terminal`), or, when
 * `anonymousAllowed`, a request that does not authenticate (as a visitor). `origin` is checked for cookie sign-ins
 * when given. Such a connection always watches (`mode` is ignored).
 */
function sharedTerminalAccess(
  db: Db,
  credentials: TerminalCredentials,
  where: { projectRef: string; jobId: number },
  token: string,
  origin: { origin: string | null; externalUrl: string } | null,
  anonymousAllowed: boolean,
): { actor: Actor | null; job: JobRow; link: number } | Refusal {
  const checked = checkShareToken(db, token, where.jobId);
  if ("refusal" in checked)
    return { status: 403, message: SHARE_REFUSALS[checked.refusal], shareRefusal: checked.refusal };
  const link = checked.link.id;
  const outcome = authenticateRequest(db, credentials.headers, credentials.cookies);
  if (!("actor" in outcome)) {
    if (!anonymousAllowed) return { status: 401, message: "401 Unauthorized - sign in to watch this shared terminal" };
    const project = findProject(db, where.projectRef);
    const job = project ? repositoriesOf(db).jobs.findInProject(project.id, where.jobId) : null;
    if (!job) return { status: 404, message: "404 Job Not Found" };
    return { actor: null, job, link };
  }
  const access = terminalAccess(
    db,
    credentials,
    where.projectRef,
    where.jobId,
    origin?.origin ?? null,
    origin?.externalUrl ?? null,
    "watch_shared_terminal",
  );
  return "status" in access ? access : { ...access, link };
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
  action: "open_terminal" | "watch_shared_terminal" = "open_terminal",
): { actor: Actor; job: JobRow } | Refusal {
  const outcome = authenticateRequest(db, credentials.headers, credentials.cookies);
  if (!("actor" in outcome)) return { status: 401, message: "401 Unauthorized" };
  const actor = outcome.actor;
  if (externalUrl !== null && actor.via === "session" && origin !== new URL(externalUrl).origin) {
    return { status: 403, message: "403 Forbidden - cross-origin terminal request" };
  }
  const access = resolveJob(db, actor, projectRef, jobId, action);
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
