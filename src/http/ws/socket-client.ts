// A terminal session's view of one WebSocket: output and control frames out, backlog for flow control.
import type { ServerWebSocket } from "bun";
import type { CloseReason, ServerControl, TerminalClient, TerminalMode } from "../../session/types.ts";
import { encodeOutput, hasControlChannel, type Subprotocol } from "./protocols.ts";

/** ws.send() answers 0 when Bun dropped the message: the stream has a hole, so the connection must go. */
const DROPPED = 0;

/** The WebSocket close code for a reason: 4003 (403 in the application range) when access ended, else 1000. */
export function closeCode(reason: CloseReason): number {
  return reason === "access_revoked" ? 4003 : 1000;
}

export class SocketClient implements TerminalClient {
  private sent = 0;
  private acked = 0;
  /** Set when the session closed this connection (the audit's close reason); null when the client left. */
  closedWith: CloseReason | null = null;

  constructor(
    private readonly ws: ServerWebSocket<unknown>,
    public mode: TerminalMode,
    private readonly protocol: Subprotocol,
    private readonly acking: boolean,
    /** How the other connections of the session see this one. */
    readonly who: { user?: string; canWrite?: boolean } = {},
  ) {}

  get user(): string | undefined {
    return this.who.user;
  }

  get canWrite(): boolean {
    return this.who.canWrite !== false;
  }

  sendOutput(bytes: Uint8Array): void {
    if (this.closedWith) return;
    this.sent += bytes.length;
    if (this.ws.send(encodeOutput(this.protocol, bytes)) === DROPPED && this.ws.readyState === 1)
      this.close("too_slow");
  }

  sendControl(message: ServerControl): void {
    if (!this.closedWith && hasControlChannel(this.protocol)) this.ws.send(JSON.stringify(message));
  }

  /** The client's ack: it has processed `bytes` of output in total. */
  ack(bytes: number): void {
    this.acked = Math.min(this.sent, Math.max(this.acked, bytes));
  }

  backlog(): number {
    return this.ws.getBufferedAmount() + (this.acking ? this.sent - this.acked : 0);
  }

  close(reason: CloseReason): void {
    if (this.closedWith) return;
    this.sendControl({ type: "closing", reason });
    this.closedWith = reason;
    this.ws.close(closeCode(reason), reason);
  }
}
