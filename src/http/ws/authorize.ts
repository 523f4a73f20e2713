// Decides a terminal WebSocket request before any upgrade: credentials, visibility, role, origin, job state.
import { parse as parseCookies } from "hono/utils/cookie";
import { resolveJob } from "../../auth/access.ts";
import { authenticateRequest } from "../../auth/authenticate.ts";
import type { TerminalSessions } from "../../session/broker.ts";
import type { TerminalMode } from "../../session/types.ts";
import type { Db } from "../../store/db.ts";
import { pickSubprotocol, SUBPROTOCOLS, type Subprotocol } from "./protocols.ts";

/** `/<namespace>/<project>/-/jobs/<id>/terminal.ws` */
export const TERMINAL_WS_PATH = /^\/(.+)\/([^/]+)\/-\/jobs\/(\d+)\/terminal\.ws$/;

/** Everything the socket needs once upgraded. */
export interface TerminalRequest {
  jobId: number;
  projectId: number;
  userId: number;
  protocol: Subprotocol;
  /** Asked for with `?mode=rw|ro`; otherwise the session decides. */
  mode?: TerminalMode;
  size: { cols: number; rows: number };
  /** `?flow=ack`: the client acknowledges output it has processed ({"type":"ack"}), for flow control. */
  ack: boolean;
  userAgent: string | null;
}

const refuse = (status: number, message: string) => Response.json({ message }, { status });

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
  const outcome = authenticateRequest(db, req.headers, parseCookies(req.headers.get("cookie") ?? ""));
  if (!("actor" in outcome)) return refuse(401, "401 Unauthorized");
  const actor = outcome.actor;
  if (actor.via === "session" && req.headers.get("origin") !== new URL(externalUrl).origin) {
    return refuse(403, "403 Forbidden - cross-origin terminal request");
  }
  const ref = `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
  const access = resolveJob(db, actor, ref, Number(match[3]), "open_terminal");
  if (!access.ok && access.decision === "not_found") return refuse(404, `404 ${access.what} Not Found`);
  if (!access.ok) return refuse(403, "403 Forbidden");
  const { project, job } = access;
  if (job.status !== "running") return refuse(409, `409 Conflict - job is ${job.status}, not running`);
  if (!sessions.available(job.id)) return refuse(409, "409 Conflict - no terminal available for this job");
  const protocol = pickSubprotocol(req.headers.get("sec-websocket-protocol"));
  if (!protocol) return refuse(400, `400 Bad request - offer one of the subprotocols ${SUBPROTOCOLS.join(", ")}`);
  const mode = url.searchParams.get("mode");
  if (mode !== null && mode !== "rw" && mode !== "ro") return refuse(400, "400 Bad request - mode must be rw or ro");
  return {
    jobId: job.id,
    projectId: project.id,
    userId: actor.user.id,
    protocol,
    mode: mode ?? undefined,
    size: { cols: sizeParam(url.searchParams.get("cols"), 80), rows: sizeParam(url.searchParams.get("rows"), 24) },
    ack: url.searchParams.get("flow") === "ack",
    userAgent: req.headers.get("user-agent"),
  };
}
