// Log search over the stored log, a chunk at a time: the lines whose shown text contains the query, numbered as the
// page numbers them, a page of matches per call with a token to go on (a 50 MB log is never held whole).
import type { TraceStore } from "../../../logs/trace-store.ts";
import { LineBuilder } from "./line-html.ts";
import { LogRenderer, type LogRendererState } from "./log-renderer.ts";
import { decodeResumeToken, encodeResumeToken } from "./resume-token.ts";
import { SECTION_MARKER } from "./sections.ts";
import { plainStyle } from "./sgr.ts";

/** The log is read this much at a time (cut back to the last whole line). */
const SCAN_BYTES = 512 * 1024;
/** A match shows at most this many characters of its line. */
const TEXT_CHARS = 400;
export const MAX_QUERY_CHARS = 200;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
/** What the page never shows (escape sequences, controls other than tab, newline and CR); a chunk with these
 * dropped holds every shown line's text, so a chunk where the query is not found even then holds no match. */
const HIDDEN =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[#-/].?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/** One call searches this long at most, then answers what it found with a token to go on (never blocking). */
const BUDGET_MS = 200;
const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'" };

export interface LogMatch {
  /** The line's number on the job page (`data-n`). */
  line: number;
  /** Byte offset of the line's start in the log. */
  offset: number;
  /** The line as shown (colours and markers dropped), cut to TEXT_CHARS. */
  text: string;
}

export interface LogSearchPage {
  matches: LogMatch[];
  /** Token for the next page of matches (`from=`), or null when the whole log was searched. */
  next: string | null;
  /** Bytes of the log searched so far (for "searched 12 MB of 50 MB"). */
  searched: number;
  size: number;
}

const htmlToText = (html: string) =>
  html.replace(/<[^>]*>/g, "").replace(/&(?:amp|lt|gt|quot|#x27);/g, (e) => ENTITIES[e]!);

/** A line's shown text: escapes and section markers dropped, a lone `\r` forgets what came before (as the page). */
function shownText(raw: string): string {
  if (!CONTROL.test(raw) && !raw.includes("section_")) return raw;
  const b = new LineBuilder(plainStyle());
  b.add(raw.replace(SECTION_MARKER, ""));
  return htmlToText(b.html());
}

/** The numbered lines one raw line makes: section markers may make a header line, or none (an end marker). */
function numberedLines(
  raw: string,
  state: LogRendererState,
): { lines: { n: number; text: string }[]; state: LogRendererState } {
  if (!raw.includes("section_"))
    return { lines: [{ n: state.line, text: shownText(raw) }], state: { ...state, line: state.line + 1 } };
  const renderer = new LogRenderer(state);
  const lines = renderer.feed(`${raw}\n`).flatMap((op) => {
    const html = op.op === "line" ? op.html : op.op === "open" ? op.head : null;
    const n = html?.match(/data-n="(\d+)"/)?.[1];
    return n ? [{ n: Number(n), text: htmlToText(html!) }] : [];
  });
  return { lines, state: renderer.state() };
}

/** The lines in `bytes[0, end)`: its newlines, and one more for an unfinished last line. */
function countLines(bytes: Buffer, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) n++;
  return end > 0 && bytes[end - 1] !== 10 ? n + 1 : n;
}

/**
 * Searches the job's log from `fromToken` (a previous page's `next`; the start when null) for lines containing
 * `query` (as shown on the page; ASCII letters in any case), answering at most `limit` matches. The log is read as
 * bytes (latin1), so offsets are byte offsets and a non-ASCII query matches its UTF-8 bytes; matched lines are
 * decoded as UTF-8.
 * A call stops after `budgetMs` (BUDGET_MS) with what it found and a `next` token, so a huge log is searched in
 * several calls.
 */
export function searchLog(
  traces: TraceStore,
  jobId: number,
  query: string,
  fromToken: string | null,
  limit = 100,
  budgetMs = BUDGET_MS,
): LogSearchPage | null {
  const start = fromToken
    ? decodeResumeToken(fromToken)
    : { offset: 0, state: { line: 1, sections: [], style: plainStyle() } };
  const size = traces.size(jobId);
  if (!start || start.offset > size) return null;
  const needle = Buffer.from(query, "utf8").toString("latin1").toLowerCase();
  const matches: LogMatch[] = [];
  let state = start.state;
  let pos = start.offset;
  const started = performance.now();
  while (pos < size) {
    // Each call reads at least once, so every call makes progress, however busy the machine.
    if (pos > start.offset && performance.now() - started > budgetMs)
      return { matches, next: encodeResumeToken({ offset: pos, state }), searched: pos, size };
    const bytes = Buffer.from(traces.read(jobId, pos, SCAN_BYTES));
    if (bytes.length === 0) break;
    const last = bytes.lastIndexOf(10);
    const usable = last >= 0 && pos + bytes.length < size ? last + 1 : bytes.length;
    const text = bytes.toString("latin1", 0, usable);
    if (!text.includes("section_") && !text.replace(HIDDEN, "").toLowerCase().includes(needle)) {
      state = { ...state, line: state.line + countLines(bytes, usable) };
      pos += usable;
      continue;
    }
    let lineStart = 0;
    while (lineStart < usable) {
      const nl = text.indexOf("\n", lineStart);
      const end = nl < 0 ? usable : nl;
      const raw = text.slice(lineStart, end > lineStart && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      const numbered = numberedLines(raw, state);
      state = numbered.state;
      const hit = numbered.lines.find((l) => l.text.toLowerCase().includes(needle));
      if (hit) {
        const shown = shownText(bytes.toString("utf8", lineStart, end).replace(/\r$/, ""));
        matches.push({ line: hit.n, offset: pos + lineStart, text: shown.slice(0, TEXT_CHARS) });
        if (matches.length >= limit) {
          const next = pos + end + 1;
          return {
            matches,
            next: next < size ? encodeResumeToken({ offset: next, state }) : null,
            searched: next,
            size,
          };
        }
      }
      lineStart = end + 1;
    }
    pos += usable;
  }
  return { matches, next: null, searched: size, size };
}
