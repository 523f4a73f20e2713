// The terminal WebSocket endpoint: refuses before upgrading, then joins each socket to its job's session.
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import { audit } from "../../auth/audit.ts";
import { findUserById } from "../../auth/users.ts";
import { createLogger, type Logger } from "../../logger.ts";
import { recordClose, recordOpen } from "../../session/audit.ts";
import type { Attachment, TerminalSessions } from "../../session/broker.ts";
import { accessGeneration } from "../../store/access-generation.ts";
import type { Db } from "../../store/db.ts";
import { relativeRoot, stripRoot } from "../relative-root.ts";
import { watchAccess } from "./access-watch.ts";
import {
  authorizeTerminalWaiting,
  reauthorizeTerminal,
  TERMINAL_WS_PATH,
  type TerminalRequest,
  watchJobs,
} from "./authorize.ts";
import { type ConnectionCaps, ConnectionLimits } from "./connection-limits.ts";
import { decodeText } from "./protocols.ts";
import { closeCode, SocketClient } from "./socket-client.ts";

export interface TerminalSocketDeps {
  db: Db;
  sessions: TerminalSessions;
  /** The server's external URL: cookie-authenticated upgrades must come from this origin. */
  externalUrl: string;
  /** Where unexpected failures are reported (the server keeps running); standard error when absent. */
  logger?: Logger;
  /** `[terminal] max_connections_per_job` and `max_connections_per_user`. */
  caps: ConnectionCaps;
  /** `[terminal] access_check_interval` in ms: every open connection is re-checked this often regardless. */
  accessRecheckMs: number;
  /** `[terminal] anonymous_share_links`: a share link opens without signing in. */
  anonymousShareLinks?: boolean;
  /** Calls its listener with a job's id whenever the job's row changes (the queue's events): wakes waiting upgrades. */
  jobChanges?: (listener: (jobId: number) => void) => () => void;
}

/** How often the access generation is read (one row, a few µs): a revocation closes terminals within about this long. */
const ACCESS_POLL_MS = 200;
/** How long an upgrade for a job still on its way waits for its terminal to be offered (GitLab's 60 s). */
const OFFER_WAIT_MS = 60_000;

interface SocketState {
  request: TerminalRequest;
  /** The access generation read before the request was authorized: a later one means re-check at open. */
  generation: number;
  remoteAddress: string | null;
  client?: SocketClient;
  attachment?: Attachment;
  auditId?: number;
  /** Gives back the connection's slot under the caps. */
  release: () => void;
  /** Set when the server closed the connection because its access ended. */
  closedWith?: "access_revoked";
  /** Frames that arrived before the session was ready. */
  early: (string | Uint8Array)[];
  gone: boolean;
}

type Socket = ServerWebSocket<SocketState>;

/** Sent at most this far apart when idle, so proxies keep the connection (Workhorse pings every 30 s). */
const IDLE_TIMEOUT_S = 120;

/**
 * `handle` takes every WebSocket upgrade request: for `/<ns>/<project>/-/jobs/<id>/terminal.ws` a refusal Response
 * or undefined after upgrading; 404 for any other path. `websocket` is the Bun handler for the upgraded sockets.
 */
export function createTerminalSockets(deps: TerminalSocketDeps) {
  const logger = deps.logger ?? createLogger();
  const limits = new ConnectionLimits(deps.caps);
  const open = new Set<Socket>();

  /** Closes the connection if its credential, user or role no longer allows it, as decided at the upgrade. */
  function recheck(ws: Socket): void {
    if (ws.data.gone || ws.data.closedWith || !reauthorizeTerminal(deps.db, ws.data.request)) return;
    ws.data.closedWith = "access_revoked";
    ws.data.attachment?.detach("access_revoked"); // no input reaches the shell from here on
    if (ws.data.client) ws.data.client.close("access_revoked");
    else ws.close(closeCode("access_revoked"), "access_revoked");
  }
  const recheckAll = () => {
    for (const ws of open) recheck(ws);
  };
  const watch = watchAccess(deps.db, recheckAll, { pollMs: ACCESS_POLL_MS, recheckMs: deps.accessRecheckMs }, (line) =>
    logger.error(line),
  );

  function frame(ws: Socket, message: string | Uint8Array): void {
    const { attachment, client, request } = ws.data;
    if (!attachment || !client) return void ws.data.early.push(message);
    if (typeof message !== "string") return void attachment.input(message); // a keystroke: nothing to decode
    const incoming = decodeText(request.protocol, message);
    if ("input" in incoming) attachment.input(incoming.input);
    else if ("error" in incoming) client.sendControl({ type: "error", message: incoming.error });
    else if (incoming.control.type === "resize") attachment.resize(incoming.control.cols, incoming.control.rows);
    else if (incoming.control.type === "ack") {
      client.ack(incoming.control.bytes);
      attachment.drained();
    } else if (incoming.control.type === "take_control") takeControl(ws, attachment, client);
    else handOver(ws, attachment, client, incoming.control.to);
  }

  /** A viewer becomes the writer (the old writer is told by the session); audited. */
  function takeControl(ws: Socket, attachment: Attachment, client: SocketClient): void {
    if (attachment.mode === "rw") return;
    const taken = attachment.takeControl();
    if (!taken) return void client.sendControl({ type: "error", message: "this connection may only watch" });
    auditEvent(ws, "terminal_control_taken", { from: taken.from });
  }

  /** The writer gives control to another connection; audited. */
  function handOver(ws: Socket, attachment: Attachment, client: SocketClient, to: number): void {
    const user = attachment.handOver(to);
    if (!user)
      return void client.sendControl({
        type: "error",
        message: `cannot hand over to connection ${to}: you are not writing, or it is gone or may only watch`,
      });
    auditEvent(ws, "terminal_control_handed_over", { to: user });
  }

  /** Terminal sessions also go to the general audit log, beside their own terminal_sessions rows. */
  function auditEvent(ws: Socket, action: string, details: Record<string, unknown>) {
    const { request, remoteAddress } = ws.data;
    const user = request.userId === null ? undefined : findUserById(deps.db, request.userId);
    audit(deps.db, {
      action,
      actor: user ? { user } : null,
      projectId: request.projectId,
      targetType: "Job",
      targetId: request.jobId,
      details,
      ip: remoteAddress,
    });
  }

  async function join(ws: Socket): Promise<void> {
    const { request } = ws.data;
    const attachment = await deps.sessions.connect(
      request.jobId,
      { mode: request.mode, size: request.size },
      (mode, recordingPath) => {
        const user = request.userId === null ? undefined : findUserById(deps.db, request.userId);
        const client = new SocketClient(ws as ServerWebSocket<unknown>, mode, request.protocol, request.ack, {
          user: user?.username ?? "anonymous",
          canWrite: !request.share,
        });
        ws.data.client = client;
        const via = request.share ? { share_link: request.share.linkId } : {};
        auditEvent(ws, "terminal_opened", { mode, subprotocol: request.protocol, ...via });
        ws.data.auditId = recordOpen(deps.db, {
          jobId: request.jobId,
          projectId: request.projectId,
          userId: request.userId,
          mode,
          subprotocol: request.protocol,
          remoteAddress: ws.data.remoteAddress,
          userAgent: request.userAgent,
          recordingPath,
        });
        return client;
      },
    );
    if (!attachment) return ws.close(1011, "no_terminal");
    ws.data.attachment = attachment;
    if (ws.data.gone || ws.data.closedWith) return attachment.detach(ws.data.closedWith ?? "client_closed");
    for (const message of ws.data.early.splice(0)) frame(ws, message);
  }

  const websocket: WebSocketHandler<SocketState> = {
    idleTimeout: IDLE_TIMEOUT_S,
    sendPings: true,
    perMessageDeflate: true,
    backpressureLimit: 64 << 20,
    closeOnBackpressureLimit: false,
    open(ws) {
      open.add(ws);
      if (accessGeneration(deps.db) !== ws.data.generation) recheck(ws); // changed while it was upgrading
      if (ws.data.closedWith) return;
      join(ws).catch((error: unknown) => {
        logger.warn("a terminal could not be opened", { job: ws.data.request.jobId, error });
        ws.close(1011, "no_terminal");
      });
    },
    message: (ws, message) => frame(ws, message),
    drain: (ws) => ws.data.attachment?.drained(),
    close(ws) {
      ws.data.gone = true;
      open.delete(ws);
      ws.data.release();
      ws.data.attachment?.detach("client_closed");
      if (ws.data.auditId === undefined) return;
      const reason = ws.data.client?.closedWith ?? ws.data.closedWith ?? "client_closed";
      try {
        recordClose(deps.db, ws.data.auditId, reason);
        auditEvent(ws, "terminal_closed", { reason });
      } catch (error) {
        logger.error("the end of a terminal session could not be recorded", { job: ws.data.request.jobId, error });
      }
    },
  };

  const jobWatch = watchJobs(deps.sessions, deps.jobChanges);

  return {
    async handle(req: Request, server: Server<SocketState>): Promise<Response | undefined> {
      if (!TERMINAL_WS_PATH.test(stripRoot(new URL(req.url).pathname, relativeRoot(deps.externalUrl))))
        return Response.json({ message: "404 Not Found" }, { status: 404 });
      const generation = accessGeneration(deps.db);
      const decided = await authorizeTerminalWaiting(
        deps.db,
        deps.sessions,
        deps.externalUrl,
        req,
        { ms: OFFER_WAIT_MS, watch: jobWatch },
        deps.anonymousShareLinks,
      );
      if (decided instanceof Response) return decided;
      // Visitors who are not signed in share one per-user cap (user id 0 is never a user's).
      const release = limits.take(decided.jobId, decided.userId ?? 0);
      if (typeof release === "string") return Response.json({ message: release }, { status: 429 });
      const state: SocketState = {
        request: decided,
        generation,
        remoteAddress: server.requestIP(req)?.address ?? null,
        early: [],
        gone: false,
        release,
      };
      const upgraded = server.upgrade(req, { data: state, headers: { "Sec-WebSocket-Protocol": decided.protocol } });
      if (upgraded) return undefined;
      release();
      return Response.json({ message: "400 Bad request - not a WebSocket upgrade" }, { status: 400 });
    },
    websocket,
    /** Ends the access re-checks (server shutdown). */
    stop: () => watch.stop(),
  };
}
