// What a terminal session needs from a connected client, and the messages and reasons it speaks in.
export type TerminalMode = "rw" | "ro";

/** Why a connection or a whole session was closed (also the audit row's close_reason). */
export type CloseReason =
  | "client_closed"
  | "job_finished"
  | "session_timeout"
  | "canceled"
  | "max_session_time"
  | "replaced"
  | "shell_exited"
  | "too_slow"
  | "no_terminal"
  | "server_stopping"
  /** The connection's credential, user or role no longer allows it (closed with WebSocket code 4003). */
  | "access_revoked";

/** Control messages a session sends; only protocols with a control channel (porthole.terminal.v1) carry them. */
export type ServerControl =
  | { type: "hello"; job: number; mode: TerminalMode; cols: number; rows: number; writers: number; viewers: number }
  | { type: "presence"; writers: number; viewers: number }
  | { type: "exit"; code: number | null }
  | { type: "closing"; reason: CloseReason }
  | { type: "error"; message: string };

/**
 * One connection as the session sees it (implemented by the WebSocket layer).
 * The session calls sendOutput/sendControl in stream order and close() at most once.
 */
export interface TerminalClient {
  readonly mode: TerminalMode;
  sendOutput(bytes: Uint8Array): void;
  sendControl(message: ServerControl): void;
  /** Output bytes sent but not yet taken by the client (socket buffer plus, for acking clients, unacked bytes). */
  backlog(): number;
  /** Sends `closing` (where the protocol has it) and closes the connection. */
  close(reason: CloseReason): void;
}
