// What the log renderer emits and the browser's log view consumes (shared by server and client; no dependencies).

/**
 * `line`: a complete line element. `open`: a section starts; `head` is its `<details><summary>` start up to the
 * duration slot (see `sectionOpenHtml`). `close`: the innermost open section ends after `duration`.
 */
export type LogOp =
  | { op: "line"; html: string }
  | { op: "open"; name: string; head: string; collapsed: boolean }
  | { op: "close"; duration: string };

/** The `<details><summary>` start of a section, its duration filled in (or empty while it runs). */
export function sectionOpenHtml(op: Extract<LogOp, { op: "open" }>, duration = ""): string {
  return `${op.head}${duration}</span></summary>`;
}

/** One `ops` event of the live log stream. */
export interface LogStreamEvent {
  ops: LogOp[];
  /** HTML of the unfinished last line (replaces the previous one), or "". */
  pending: string;
  /** Opaque resume token: reconnect with `?state=<resume>` to continue exactly after these ops. */
  resume: string;
}

/** A range of earlier log, answered by the chunk endpoint for "Load earlier". */
export interface LogChunk {
  html: string;
  /** Byte offset where this chunk starts (0: the log's beginning). */
  from: number;
  /** Sections still open at the chunk's end: they continue in the part already shown. */
  openDepth: number;
  /** Text for the "showing …" notice after this chunk is added. */
  notice: string;
}
