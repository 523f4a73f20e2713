// The part of a job log a page shows: the tail first (a 50 MB log must not freeze the tab), earlier parts on demand.
import type { TraceStore } from "../../../logs/trace-store.ts";
import { byteSize } from "../views/format.ts";
import { opsToHtml } from "./log-html.ts";
import type { LogChunk } from "./log-ops.ts";
import { LogRenderer, type LogRendererState } from "./log-renderer.ts";
import { scanLogState } from "./log-scan.ts";
import { encodeResumeToken } from "./resume-token.ts";

/** The page first shows at most this much of the log's end … */
export const TAIL_BYTES = 128 * 1024;
/** … and "Load earlier" adds this much at a time. */
export const CHUNK_BYTES = 1024 * 1024;

export interface LogTail {
  html: string;
  /** The unfinished last line of a running job's log ("" when none). */
  pendingHtml: string;
  /** Byte offset where the shown part starts (0: the whole log is shown). */
  from: number;
  size: number;
  /** Sections open at the end, which live output continues in. */
  openDepth: number;
  /** Resume token for the live stream (see resume-token.ts). */
  resume: string;
  notice: string;
  /** Digits the line-number gutter needs (with room to grow while the job runs). */
  digits: number;
}

const decoder = () => new TextDecoder("utf-8");

/** Scans of finished logs' prefixes, by `jobId:offset` (a finished log never changes); the oldest go first. */
const scanCache = new Map<string, LogRendererState>();
const SCAN_CACHE_SIZE = 64;

/** The renderer state at byte `offset` (a line start) of the job's log; cached while the log cannot change. */
function stateAt(traces: TraceStore, jobId: number, offset: number): LogRendererState | undefined {
  if (offset === 0) return undefined;
  const key = `${jobId}:${offset}`;
  const cached = scanCache.get(key);
  if (cached) return cached;
  const state = scanLogState(traces.read(jobId, 0, offset));
  if (!traces.isLive(jobId)) {
    scanCache.set(key, state);
    if (scanCache.size > SCAN_CACHE_SIZE) scanCache.delete(scanCache.keys().next().value!);
  }
  return state;
}

/** The first line start at or after `bytes[0]`, for a range that begins at log offset `start` (> 0). */
function lineStart(bytes: Uint8Array): number {
  const nl = bytes.indexOf(10);
  if (nl >= 0) return nl + 1;
  let i = 0;
  while (i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i++;
  return i;
}

export function shownNotice(from: number, size: number): string {
  return from === 0 ? "" : `Showing the last ${byteSize(size - from)} of ${byteSize(size)}.`;
}

/** Renders the log's last `maxBytes` (from a line start). `finished`: the unfinished last line is final too. */
export function renderLogTail(traces: TraceStore, jobId: number, finished: boolean, maxBytes = TAIL_BYTES): LogTail {
  const size = traces.size(jobId);
  const start = Math.max(0, size - maxBytes);
  const raw = traces.read(jobId, start, size - start);
  const cut = start > 0 ? lineStart(raw) : 0;
  const from = start + cut;
  const bytes = raw.subarray(cut);
  const renderer = new LogRenderer(stateAt(traces, jobId, from));
  const ops = [...renderer.reopen(), ...renderer.feed(decoder().decode(bytes, { stream: !finished }))];
  if (finished) ops.push(...renderer.flush());
  const consumed = finished ? bytes.length : bytes.lastIndexOf(10) + 1;
  const state = renderer.state();
  return {
    html: opsToHtml(ops),
    pendingHtml: finished ? "" : renderer.pending(),
    from,
    size,
    openDepth: finished ? 0 : state.sections.length,
    resume: encodeResumeToken({ offset: from + consumed, state }),
    notice: shownNotice(from, size),
    digits: Math.min(9, Math.max(3, String(state.line * (finished ? 1 : 10)).length)),
  };
}

/** Renders complete lines before byte offset `to` (a line start), at most `maxBytes` of them. */
export function renderLogChunk(traces: TraceStore, jobId: number, to: number, maxBytes = CHUNK_BYTES): LogChunk {
  const size = traces.size(jobId);
  const end = Math.min(Math.max(0, to), size);
  const start = Math.max(0, end - maxBytes);
  const raw = traces.read(jobId, start, end - start);
  const cut = start > 0 ? lineStart(raw) : 0;
  const from = start + cut;
  const renderer = new LogRenderer(stateAt(traces, jobId, from));
  const ops = [...renderer.reopen(), ...renderer.feed(decoder().decode(raw.subarray(cut)))];
  return { html: opsToHtml(ops), from, openDepth: renderer.state().sections.length, notice: shownNotice(from, size) };
}

/** Context a search hit is shown with, each side of its line (then cut to whole lines). */
export const AROUND_BYTES = 32 * 1024;

/** Renders the lines around byte offset `offset` (a search hit's line start): about AROUND_BYTES each side. */
export function renderLogAround(traces: TraceStore, jobId: number, offset: number): LogChunk {
  const size = traces.size(jobId);
  const probeAt = Math.min(Math.max(0, offset) + AROUND_BYTES, size);
  const probe = traces.read(jobId, probeAt, 64 * 1024);
  const nl = probe.indexOf(10);
  const to = nl < 0 ? Math.min(size, probeAt + probe.length) : probeAt + nl + 1;
  return renderLogChunk(traces, jobId, to, to - Math.max(0, offset - AROUND_BYTES));
}

/**
 * The lines around byte offset `offset` as the page's log window (a search hit opened without JavaScript): line
 * `line` is marked and has the id `L<line>` to scroll to. No live stream continues it.
 */
export function renderLogWindowAround(traces: TraceStore, jobId: number, offset: number, line: number): LogTail {
  const chunk = renderLogAround(traces, jobId, offset);
  const hit = `class="ln" data-n="${line}"`;
  return {
    html: chunk.html.replace(hit, `class="ln ln-hit" id="L${line}" data-n="${line}"`),
    pendingHtml: "",
    from: chunk.from,
    size: traces.size(jobId),
    openDepth: 0,
    resume: "",
    notice: chunk.notice,
    digits: Math.min(9, Math.max(3, String(line * 10).length)),
  };
}
