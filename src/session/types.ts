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

/** One connection as everyone in the session sees it (who writes, who watches). */
export interface Participant {
  /** The connection's number in its session (what `hand_over` names). */
  id: number;
  user: string;
  mode: TerminalMode;
  /** False for a read-only share link's viewer, who may neither take nor be handed control. */
  canWrite: boolean;
}

/** Control messages a session sends; only protocols with a control channel (porthole.terminal.v1) carry them. */
export type ServerControl =
  | {
      type: "hello";
      job: number;
      mode: TerminalMode;
      cols: number;
      rows: number;
      writers: number;
      viewers: number;
      /** This connection's id among `participants`. */
      you: number;
      participants: Participant[];
    }
  | { type: "presence"; writers: number; viewers: number; participants: Participant[] }
  /** The session's size (the writer's) changed: viewers draw at this size, whatever their window. */
  | { type: "size"; cols: number; rows: number }
  /** This connection's role changed: `by` took control from it, or handed it control; `self` when it acted itself. */
  | { type: "mode"; mode: TerminalMode; by: string; self: boolean }
  | { type: "exit"; code: number | null }
  | { type: "closing"; reason: CloseReason }
  | { type: "error"; message: string };

/**
 * One connection as the session sees it (implemented by the WebSocket layer).
 * The session calls sendOutput/sendControl in stream order and close() at most once.
 */
export interface TerminalClient {
  /** Set by the session when control changes hands (take control, hand over). */
  mode: TerminalMode;
  /** Who is connected, as the others see it (a username); "anonymous" when absent. */
  readonly user?: string;
  /** False when the connection may only ever watch (a share link); true when absent. */
  readonly canWrite?: boolean;
  sendOutput(bytes: Uint8Array): void;
  sendControl(message: ServerControl): void;
  /** Output bytes sent but not yet taken by the client (socket buffer plus, for acking clients, unacked bytes). */
  backlog(): number;
  /** Sends `closing` (where the protocol has it) and closes the connection. */
  close(reason: CloseReason): void;
}
