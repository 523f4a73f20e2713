// Streaming job-log renderer: raw log text → ops (lines, section open/close) carrying escaped HTML; pure, no DOM.
import { escapeHtml, LineBuilder, plainLineHtml } from "./line-html.ts";
import type { LogOp } from "./log-ops.ts";
import { formatSectionDuration, SECTION_MARKER } from "./sections.ts";
import { plainStyle, type TextStyle } from "./sgr.ts";

export type { LogOp } from "./log-ops.ts";

export interface OpenSection {
  name: string;
  /** Unix seconds from the `section_start` marker. */
  start: number;
}

/** Where rendering stands between two lines: enough to resume in another process. */
export interface LogRendererState {
  /** Number of the next line (1-based). */
  line: number;
  sections: OpenSection[];
  style: TextStyle;
}

/** Sections nest at most this deep; deeper `section_start` markers are dropped. */
export const MAX_SECTION_DEPTH = 16;
const NEEDS_SLOW_PATH = /[\x00-\x08\x0b-\x1f\x7f]|section_/;

export const initialRendererState = (): LogRendererState => ({ line: 1, sections: [], style: plainStyle() });

const cloneState = (s: LogRendererState): LogRendererState => ({
  line: s.line,
  sections: s.sections.map((sec) => ({ name: sec.name, start: sec.start })),
  style: { ...s.style },
});

/**
 * Renders a log fed in pieces. Call order: `feed()` any number of times, then `flush()` once at the end of the log.
 * `pending()` shows the unfinished last line without consuming it; `state()` covers complete lines only, so a
 * resumed renderer must be fed again from the start of the unfinished line (`pendingText()`).
 */
export class LogRenderer {
  private buffer = "";
  private readonly s: LogRendererState;

  constructor(state: LogRendererState = initialRendererState()) {
    this.s = cloneState(state);
  }

  feed(text: string): LogOp[] {
    const ops: LogOp[] = [];
    this.buffer += text;
    let start = 0;
    for (let nl = this.buffer.indexOf("\n"); nl >= 0; nl = this.buffer.indexOf("\n", start)) {
      const end = nl > start && this.buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.renderLine(this.buffer.slice(start, end), ops);
      start = nl + 1;
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    return ops;
  }

  /** Renders the unfinished last line, if any, as a complete one. */
  flush(): LogOp[] {
    const ops: LogOp[] = [];
    if (this.buffer !== "") this.renderLine(this.buffer, ops);
    this.buffer = "";
    return ops;
  }

  /** HTML of the unfinished last line (at most its last `maxChars`), or `""`. Does not change the state. */
  pending(maxChars = 16384): string {
    if (this.buffer === "") return "";
    const text = this.buffer.length > maxChars ? this.buffer.slice(-maxChars) : this.buffer;
    const b = new LineBuilder({ ...this.s.style });
    b.add(text.replace(SECTION_MARKER, ""));
    return `<div class="ln pending">${b.html()}</div>`;
  }

  pendingText(): string {
    return this.buffer;
  }

  state(): LogRendererState {
    return cloneState(this.s);
  }

  /** Opens the sections the initial state was in, marked as continued (for a log shown from the middle). */
  reopen(): LogOp[] {
    return this.s.sections.map((sec) => ({
      op: "open" as const,
      name: sec.name,
      collapsed: false,
      head:
        `<details class="sec" open data-section="${escapeHtml(sec.name)}" data-continued><summary class="ln">` +
        `<span class="sec-title">${escapeHtml(sec.name)} (continued)</span><span class="sec-dur">`,
    }));
  }

  private renderLine(raw: string, ops: LogOp[]): void {
    if (!NEEDS_SLOW_PATH.test(raw)) {
      ops.push(this.lineOp(plainLineHtml(raw, this.s.style)));
      return;
    }
    const b = new LineBuilder(this.s.style);
    let header: (OpenSection & { collapsed: boolean }) | null = null;
    let hadMarker = false;
    const emitOpen = () => {
      if (!header) return;
      const title = b.visible ? b.html() : escapeHtml(header.name);
      this.s.sections.push({ name: header.name, start: header.start });
      ops.push(this.openOp(header.name, header.collapsed, title));
      header = null;
      b.clear();
    };
    const emitPending = () => {
      if (header) emitOpen();
      else if (b.visible) ops.push(this.lineOp(b.html()));
      b.clear();
    };
    SECTION_MARKER.lastIndex = 0;
    let pos = 0;
    for (let m = SECTION_MARKER.exec(raw); m !== null; m = SECTION_MARKER.exec(raw)) {
      b.add(raw.slice(pos, m.index));
      pos = m.index + m[0].length;
      hadMarker = true;
      const [, kind, time, name, options] = m as unknown as [string, string, string, string, string | undefined];
      emitPending();
      if (kind === "end") this.close(name, Number(time), ops);
      else if (this.s.sections.length < MAX_SECTION_DEPTH) {
        header = { name, start: Number(time), collapsed: /collapsed=true/.test(options ?? "") };
      }
    }
    b.add(pos === 0 ? raw : raw.slice(pos));
    if (header) emitOpen();
    else if (b.visible || !hadMarker) ops.push(this.lineOp(b.html()));
  }

  private close(name: string, end: number, ops: LogOp[]): void {
    const at = this.s.sections.findLastIndex((sec) => sec.name === name);
    if (at < 0) return;
    while (this.s.sections.length > at) {
      const sec = this.s.sections.pop()!;
      ops.push({ op: "close", duration: formatSectionDuration(end - sec.start) });
    }
  }

  private lineOp(content: string): LogOp {
    return { op: "line", html: `<div class="ln" data-n="${this.s.line++}">${content}</div>` };
  }

  private openOp(name: string, collapsed: boolean, title: string): LogOp {
    const n = this.s.line++;
    const head =
      `<details class="sec"${collapsed ? "" : " open"} data-section="${escapeHtml(name)}">` +
      `<summary class="ln" data-n="${n}"><span class="sec-title">${title}</span><span class="sec-dur">`;
    return { op: "open", name, head, collapsed };
  }
}
