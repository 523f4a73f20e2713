// Fast scan of a log prefix (bytes) for the renderer state at its end: line number and open sections, no HTML.
import { LogRenderer, type LogRendererState } from "./log-renderer.ts";
import { plainStyle } from "./sgr.ts";

const NEWLINE = 10;
const MARKER = Buffer.from("section_");
const decoder = new TextDecoder();

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE, from); i >= 0 && i < to; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * The state a `LogRenderer` fed `prefix` would reach, computed without rendering: only lines holding a
 * `section_` marker are rendered. The style is taken as plain at the end (the runner resets it every line).
 * `prefix` should end at a line boundary; an unfinished last line counts as a line.
 */
export function scanLogState(prefix: Uint8Array): LogRendererState {
  const buf = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  let state: LogRendererState = { line: 1, sections: [], style: plainStyle() };
  let pos = 0;
  while (pos < buf.length) {
    const hit = buf.indexOf(MARKER, pos);
    const lineStart = hit < 0 ? buf.length : buf.lastIndexOf(NEWLINE, hit) + 1;
    state.line += countNewlines(buf, pos, lineStart);
    if (hit < 0) {
      if (buf[buf.length - 1] !== NEWLINE) state.line++;
      break;
    }
    const nl = buf.indexOf(NEWLINE, hit);
    const lineEnd = nl < 0 ? buf.length : nl + 1;
    const renderer = new LogRenderer({ ...state, style: plainStyle() });
    renderer.feed(decoder.decode(buf.subarray(lineStart, lineEnd)));
    renderer.flush();
    state = renderer.state();
    pos = lineEnd;
  }
  return { ...state, style: plainStyle() };
}
