// The page's side of porthole.terminal.v1: connect, acknowledge processed output, reconnect after network loss.

export interface Participant {
  id: number;
  user: string;
  mode: "rw" | "ro";
  canWrite: boolean;
}

export type ServerMessage =
  | {
      type: "hello";
      job: number;
      mode: "rw" | "ro";
      cols: number;
      rows: number;
      writers: number;
      viewers: number;
      you: number;
      participants: Participant[];
    }
  | { type: "presence"; writers: number; viewers: number; participants: Participant[] }
  | { type: "size"; cols: number; rows: number }
  | { type: "mode"; mode: "rw" | "ro"; by: string; self: boolean }
  | { type: "exit"; code: number | null }
  | { type: "closing"; reason: string }
  | { type: "error"; message: string };

export interface ConnectionEvents {
  /** Output bytes; call `done` once they are processed (rendered), which acknowledges them to the server. */
  output(bytes: Uint8Array, done: () => void): void;
  control(message: ServerMessage): void;
  /** The socket closed; `final` when the server said why (no reconnect follows), else a retry is scheduled. */
  closed(info: { reason: string | null; final: boolean; retryInMs: number }): void;
}

/** Acknowledge after this much processed output (below the server's low-water mark, so output never stalls). */
const ACK_EVERY = 16 * 1024;
const RETRY_MAX_MS = 10_000;
/** The close code the server uses when the connection's access ended (revoked token, sign-out, block, role). */
const ACCESS_REVOKED = 4003;

/**
 * Keeps one terminal WebSocket open to `url` (…/terminal.ws). Call send()/resize() any time; they are dropped
 * while disconnected. stop() closes for good.
 */
export class TerminalConnection {
  private ws: WebSocket | null = null;
  private processed = 0;
  private acked = 0;
  private retryMs = 500;
  private stopped = false;
  private closingReason: string | null = null;

  constructor(
    private readonly url: () => string,
    private readonly events: ConnectionEvents,
  ) {}

  start(): void {
    this.stopped = false;
    this.closingReason = null;
    this.processed = this.acked = 0;
    const ws = new WebSocket(this.url(), ["porthole.terminal.v1"]);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => (this.retryMs = 500);
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = (event) => this.onClose(ws, event);
    this.ws = ws;
  }

  send(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  resize(cols: number, rows: number): void {
    this.control({ type: "resize", cols, rows });
  }

  /** Sends a control message (take_control, hand_over, resize); dropped while disconnected. */
  control(message: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close(1000, "client_closed");
  }

  private receive(data: unknown): void {
    if (typeof data === "string") {
      const message = JSON.parse(data) as ServerMessage;
      if (message.type === "closing") this.closingReason = message.reason;
      this.events.control(message);
      return;
    }
    const bytes = new Uint8Array(data as ArrayBuffer);
    const ws = this.ws;
    this.events.output(bytes, () => {
      if (ws !== this.ws) return;
      this.processed += bytes.length;
      if (this.processed - this.acked >= ACK_EVERY || bytes.length < ACK_EVERY) this.ack();
    });
  }

  private ack(): void {
    if (this.ws?.readyState !== WebSocket.OPEN || this.processed === this.acked) return;
    this.acked = this.processed;
    this.ws.send(JSON.stringify({ type: "ack", bytes: this.processed }));
  }

  private onClose(ws: WebSocket, event: CloseEvent): void {
    if (ws !== this.ws) return;
    this.ws = null;
    if (event.code === ACCESS_REVOKED) this.closingReason = "access_revoked"; // a refusal: never reconnect
    const final = this.stopped || (this.closingReason !== null && this.closingReason !== "too_slow");
    const retryInMs = final ? 0 : this.retryMs;
    this.events.closed({ reason: this.closingReason, final, retryInMs });
    if (final) return;
    setTimeout(() => !this.stopped && this.start(), retryInMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
