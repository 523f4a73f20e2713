// The runner's session server: TLS, one random /session/<uuid> path and token per job, /exec serves its terminal,
// /debug and /continue a debugged job's wait (porthole's own).
import { createHash, timingSafeEqual } from "node:crypto";
import type { Server, ServerWebSocket } from "bun";
import type { DebugPauses } from "../../domain/debug.ts";
import { decodeFrame, pickSubprotocol, SUBPROTOCOLS, type Subprotocol } from "../../http/ws/protocols.ts";
import { SocketClient } from "../../http/ws/socket-client.ts";
import { createLogger, type Logger } from "../../logger.ts";
import type { Attachment, TerminalSessions } from "../../session/broker.ts";
import { untilWoken } from "../../shared/until-woken.ts";
import type { SessionTicket, SessionTickets } from "./http-coordinator.ts";
import { selfSignedCertificate } from "./self-signed.ts";

export interface SessionServerOptions {
  /** `host:port` to listen on. */
  listenAddress: string;
  /** `host:port` the server reaches this runner at; the listen address when empty. */
  advertiseAddress: string;
  /** The runner's terminal broker: the job's environment is offered there, connections attach there. */
  broker: TerminalSessions;
  /** How long /exec waits for the job's environment to offer its terminal (60 s). */
  readyWaitMs?: number;
  /** The runner's debug waits: `GET …/debug` shows the job's, `POST …/continue` ends it. */
  pauses?: DebugPauses;
  logger?: Logger;
}

export interface SessionServer extends SessionTickets {
  /** The PEM every session's `certificate` carries. */
  readonly certificate: string;
  /** `https://<advertise_address>` */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

interface Session {
  token: string;
  jobId: number | null;
  /** An unclaimed ticket is forgotten after this time (its job request came back empty). */
  expires: number;
}

interface SocketState {
  jobId: number;
  protocol: Subprotocol;
  ack: boolean;
  mode?: "rw" | "ro";
  size: { cols: number; rows: number };
  client?: SocketClient;
  attachment?: Attachment;
  early: (string | Uint8Array)[];
  gone: boolean;
}

const EXEC_PATH = /^\/session\/([0-9a-f-]{36})\/exec$/;
const DEBUG_PATH = /^\/session\/([0-9a-f-]{36})\/(debug|continue)$/;
/** Longer than any job request's long poll. */
const UNCLAIMED_TTL_MS = 5 * 60_000;

const digest = (text: string) => createHash("sha256").update(text).digest();
const sameToken = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));
const refuse = (status: number, message: string) => Response.json({ message }, { status });

function splitHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(address.slice(at + 1)) };
}

function sizeParam(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : fallback;
}

export async function startSessionServer(opts: SessionServerOptions): Promise<SessionServer> {
  const logger = opts.logger ?? createLogger();
  const readyWaitMs = opts.readyWaitMs ?? 60_000;
  const listen = splitHostPort(opts.listenAddress);
  const advertised = splitHostPort(opts.advertiseAddress || opts.listenAddress);
  const hosts = [
    advertised.host,
    ...(listen.host && listen.host !== "0.0.0.0" && listen.host !== "::" ? [listen.host] : []),
  ];
  const tls = await selfSignedCertificate(hosts);
  const sessions = new Map<string, Session>();

  /** Woken when a ticket is claimed or dropped; the broker's offers wake waiters too. */
  const changes = new Set<() => void>();
  const changed = () => {
    for (const wake of changes) wake();
  };

  /** Waits (up to readyWaitMs) until the ticket's job offers its terminal, looking again at each change. */
  async function readyJob(id: string, session: Session, signal: AbortSignal): Promise<number | null> {
    const until = Date.now() + readyWaitMs;
    while (Date.now() < until && !signal.aborted && sessions.get(id) === session) {
      if (session.jobId !== null && opts.broker.available(session.jobId)) return session.jobId;
      await untilWoken(
        (wake) => {
          changes.add(wake);
          const offers = opts.broker.onOffer(wake);
          return () => {
            changes.delete(wake);
            offers();
          };
        },
        until - Date.now(),
        signal,
      );
    }
    return null;
  }

  function frame(ws: ServerWebSocket<SocketState>, message: string | Uint8Array) {
    const { attachment, client } = ws.data;
    if (!attachment || !client) return void ws.data.early.push(message);
    const incoming = decodeFrame(ws.data.protocol, message);
    if ("input" in incoming) attachment.input(incoming.input);
    else if ("error" in incoming) client.sendControl({ type: "error", message: incoming.error });
    else if (incoming.control.type === "resize") attachment.resize(incoming.control.cols, incoming.control.rows);
    else if (incoming.control.type === "ack") {
      client.ack(incoming.control.bytes);
      attachment.drained();
    } // control changes hands on the server, which holds one connection here: nothing to do
  }

  async function join(ws: ServerWebSocket<SocketState>) {
    const { jobId, mode, size } = ws.data;
    const attachment = await opts.broker.connect(jobId, { mode, size }, (granted) => {
      ws.data.client = new SocketClient(ws as ServerWebSocket<unknown>, granted, ws.data.protocol, ws.data.ack);
      return ws.data.client;
    });
    if (!attachment) return ws.close(1011, "no_terminal");
    ws.data.attachment = attachment;
    if (ws.data.gone) return attachment.detach("client_closed");
    for (const message of ws.data.early.splice(0)) frame(ws, message);
  }

  const server: Server<SocketState> = Bun.serve<SocketState>({
    hostname: listen.host,
    port: listen.port,
    tls: { key: tls.key, cert: tls.cert },
    async fetch(req, srv) {
      const url = new URL(req.url);
      const debug = url.pathname.match(DEBUG_PATH);
      if (debug) return debugRequest(req, sessions.get(debug[1]!), debug[2] as "debug" | "continue");
      const match = url.pathname.match(EXEC_PATH);
      const session = match ? sessions.get(match[1]!) : undefined;
      if (!session) return refuse(404, "404 Not Found");
      if (!sameToken(req.headers.get("authorization") ?? "", session.token)) return refuse(401, "401 Unauthorized");
      const protocol = pickSubprotocol(req.headers.get("sec-websocket-protocol"));
      if (!protocol) return refuse(400, `400 Bad request - offer one of the subprotocols ${SUBPROTOCOLS.join(", ")}`);
      const mode = url.searchParams.get("mode");
      if (mode !== null && mode !== "rw" && mode !== "ro")
        return refuse(400, "400 Bad request - mode must be rw or ro");
      const jobId = await readyJob(match![1]!, session, req.signal);
      if (jobId === null) return refuse(409, "409 Conflict - the job's environment offered no terminal in time");
      const state: SocketState = {
        jobId,
        protocol,
        ack: url.searchParams.get("flow") === "ack",
        mode: mode ?? undefined,
        size: { cols: sizeParam(url.searchParams.get("cols"), 80), rows: sizeParam(url.searchParams.get("rows"), 24) },
        early: [],
        gone: false,
      };
      if (srv.upgrade(req, { data: state, headers: { "Sec-WebSocket-Protocol": protocol } })) return undefined;
      return refuse(400, "400 Bad request - not a WebSocket upgrade");
    },
    websocket: {
      idleTimeout: 120,
      sendPings: true,
      backpressureLimit: 64 << 20,
      closeOnBackpressureLimit: false,
      open(ws) {
        join(ws).catch((error: unknown) => {
          logger.warn("a terminal could not be opened", { job: ws.data.jobId, error });
          ws.close(1011, "no_terminal");
        });
      },
      message: (ws, message) => frame(ws, message),
      drain: (ws) => ws.data.attachment?.drained(),
      close(ws) {
        ws.data.gone = true;
        ws.data.attachment?.detach("client_closed");
      },
    },
  });

  /** `GET debug`: the job's wait (`{ pause: null }` when none); `POST continue`: ends it (409 when none). */
  function debugRequest(req: Request, session: Session | undefined, what: "debug" | "continue"): Response {
    if (!session) return refuse(404, "404 Not Found");
    if (!sameToken(req.headers.get("authorization") ?? "", session.token)) return refuse(401, "401 Unauthorized");
    const jobId = session.jobId;
    if (what === "debug") {
      if (req.method !== "GET") return refuse(405, "405 Method Not Allowed");
      return Response.json({ pause: jobId === null ? null : (opts.pauses?.current(jobId) ?? null) });
    }
    if (req.method !== "POST") return refuse(405, "405 Method Not Allowed");
    if (jobId === null || !opts.pauses?.continue(jobId)) return refuse(409, "409 Conflict - the job is not waiting");
    return Response.json({ continued: true });
  }

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, s] of sessions) if (s.jobId === null && s.expires < now) sessions.delete(id);
  }, 30_000);
  const port = advertised.port || server.port;
  const hostPart = advertised.host.includes(":") ? `[${advertised.host}]` : advertised.host;
  const baseUrl = `https://${hostPart}:${port}`;

  return {
    certificate: tls.cert,
    baseUrl,
    next(): SessionTicket {
      const id = crypto.randomUUID();
      const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
      sessions.set(id, { token, jobId: null, expires: Date.now() + UNCLAIMED_TTL_MS });
      return { url: `${baseUrl}/session/${id}`, certificate: tls.cert, authorization: token };
    },
    claim(ticket, jobId) {
      const session = sessions.get(ticket.url.slice(ticket.url.lastIndexOf("/") + 1));
      if (session) session.jobId = jobId;
      changed();
    },
    done(jobId) {
      for (const [id, s] of sessions) if (s.jobId === jobId) sessions.delete(id);
      changed();
    },
    async stop() {
      clearInterval(sweep);
      await server.stop(true);
    },
  };
}
