// A job terminal on a remote runner: dials its session server (pinned certificate) and acts as the session's PTY.
import { X509Certificate } from "node:crypto";
import type { TerminalTarget } from "../domain/coordinator.ts";
import type { Pty } from "../domain/pty.ts";
import type { ServerControl } from "./types.ts";

/** What a job's row keeps of the runner's `session` object. */
export interface RemoteSession {
  /** `https://<runner>/session/<uuid>` */
  url: string;
  /** PEM of the runner's certificate: the only one accepted. */
  certificate: string;
  authorization: string;
}

/** Unacknowledged output that is acknowledged at once (well under the runner's 256 KB high water)… */
const ACK_BULK_BYTES = 16 * 1024;
/** …and how long a smaller amount waits for more. */
const ACK_TRICKLE_MS = 20;

/** How long the dial may take, the runner's own wait for the job's environment (60 s) included. */
const DIAL_TIMEOUT_MS = 75_000;

/** The `checkServerIdentity` of a pinned dial: anything but exactly `pem` is refused. */
export function pinTo(pem: string): (host: string, cert: { fingerprint256?: string }) => Error | undefined {
  const expected = new X509Certificate(pem).fingerprint256;
  return (_host, cert) =>
    cert?.fingerprint256 === expected
      ? undefined
      : new Error("the runner presented a certificate other than the registered one");
}

/** The session's exec URL (`wss://…/exec`) with the terminal's size and ack-based flow control. */
function execUrl(session: RemoteSession, size: { cols: number; rows: number }): string {
  const url = new URL(`${session.url.replace(/\/+$/, "")}/exec`);
  if (url.protocol !== "https:") throw new Error(`session URL ${session.url} is not https`);
  url.protocol = "wss:";
  url.searchParams.set("cols", String(size.cols));
  url.searchParams.set("rows", String(size.rows));
  url.searchParams.set("mode", "rw");
  url.searchParams.set("flow", "ack");
  return url.toString();
}

/**
 * Opens one connection to the runner's session (porthole.terminal.v1 with acks). Output is acknowledged only
 * while the PTY is not paused, so a slow browser makes the runner pause the job's real PTY: flow control end to end.
 * `onClosing` gets the runner's closing reason (job_finished, canceled, …) before the PTY reports its exit.
 */
export function openRemotePty(
  session: RemoteSession,
  size: { cols: number; rows: number },
  onClosing: (reason: string) => void = () => {},
): Promise<Pty> {
  const ws = new WebSocket(execUrl(session, size), {
    headers: { Authorization: session.authorization },
    protocols: ["porthole.terminal.v1"],
    tls: { ca: session.certificate, checkServerIdentity: pinTo(session.certificate) },
  } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  let dataListener: (bytes: Uint8Array) => void = () => {};
  let exitListener: (code: number | null) => void = () => {};
  let exitCode: number | null = null;
  let exited = false;
  let paused = false;
  let received = 0;
  let held: Uint8Array[] = [];
  const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));

  let acked = 0;
  let ackScheduled: "now" | ReturnType<typeof setTimeout> | null = null;
  const sendAck = () => {
    ackScheduled = null;
    acked = received;
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ack", bytes: received }));
  };
  /**
   * Output in bulk is acknowledged once per turn of the event loop; a trickle (keystroke echoes) after a short
   * quiet time, so that an ack does not follow every echo across the hop while the next key is on its way.
   */
  const ack = () => {
    if (ackScheduled === "now") return;
    if (received - acked >= ACK_BULK_BYTES) {
      if (ackScheduled !== null) clearTimeout(ackScheduled);
      ackScheduled = "now";
      setImmediate(sendAck);
    } else ackScheduled ??= setTimeout(sendAck, ACK_TRICKLE_MS);
  };
  const deliver = (bytes: Uint8Array) => {
    received += bytes.length;
    dataListener(bytes);
  };

  const pty: Pty = {
    canPause: true,
    write(bytes) {
      if (ws.readyState === WebSocket.OPEN)
        ws.send(typeof bytes === "string" ? new TextEncoder().encode(bytes) : Buffer.from(bytes));
    },
    resize(cols, rows) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "resize", cols, rows }));
    },
    onData(listener) {
      dataListener = listener;
    },
    onExit(listener) {
      exitListener = listener;
    },
    pause() {
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      const backlog = held;
      held = [];
      for (const bytes of backlog) deliver(bytes);
      ack();
    },
    async close() {
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(1000, "client_closed");
      await closed;
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error("the runner's session server did not answer in time"));
    }, DIAL_TIMEOUT_MS);
    ws.addEventListener("open", () => {
      clearTimeout(timer);
      resolve(pty);
    });
    ws.addEventListener("error", (event) => {
      clearTimeout(timer);
      reject(
        new Error(`the runner's session server could not be reached: ${(event as ErrorEvent).message ?? "error"}`),
      );
    });
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        const bytes = new Uint8Array(event.data as ArrayBuffer);
        if (paused) held.push(bytes);
        else {
          deliver(bytes);
          ack();
        }
        return;
      }
      let message: ServerControl;
      try {
        message = JSON.parse(event.data) as ServerControl;
      } catch {
        return;
      }
      if (message.type === "exit") exitCode = message.code;
      if (message.type === "closing") onClosing(message.reason);
    });
    ws.addEventListener("close", () => {
      clearTimeout(timer);
      if (exited) return;
      exited = true;
      exitListener(exitCode);
    });
  });
}

/** The target the server's broker gets for a job on a remote runner (its sessions end with their last viewer). */
export function remoteTerminalTarget(
  jobId: number,
  session: RemoteSession,
  onClosing: (reason: string) => void,
  secrets: string[] = [],
): TerminalTarget {
  return { jobId, open: (size) => openRemotePty(session, size, onClosing), secrets, endWhenUnattended: true };
}
