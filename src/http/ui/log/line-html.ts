// One log line's text → HTML: SGR colours as classes, other escapes stripped, a lone `\r` drops what came before.
import { applySgr, isPlain, styleClasses, type TextStyle } from "./sgr.ts";

/** HTML-escapes `& < > " '`. */
export const escapeHtml = (text: string): string => Bun.escapeHTML(text);

const isPrivateParam = (ch: number) => ch >= 0x3c && ch <= 0x3f;

/** Text segments of one line, merged into runs of the same style. */
export class LineBuilder {
  private parts: string[] = [];
  private runClass = "";
  private runText = "";
  /** Whether the line shows any character. */
  visible = false;

  constructor(readonly style: TextStyle) {}

  /**
   * Appends a segment of raw log text (no `\n`): SGR codes update the style, a `\r` forgets the text so far, other
   * escapes (CSI, OSC, charset) and C0 controls except tab are dropped. Hand-written scanner: a regex was 3× slower.
   */
  add(segment: string): void {
    let pos = 0;
    let i = 0;
    while (i < segment.length) {
      const ch = segment.charCodeAt(i);
      if ((ch >= 32 && ch !== 127) || ch === 9) {
        i++;
        continue;
      }
      if (i > pos) this.text(segment.slice(pos, i));
      if (ch === 13) this.clear();
      i = ch === 27 ? this.escape(segment, i) : i + 1;
      pos = i;
    }
    if (pos < segment.length) this.text(pos === 0 ? segment : segment.slice(pos));
  }

  /** Consumes the escape sequence at `at` (an ESC); returns the index after it. */
  private escape(s: string, at: number): number {
    const kind = s.charCodeAt(at + 1);
    if (kind === 91) {
      let j = at + 2;
      let isPrivate = false;
      while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x3f)
        isPrivate ||= isPrivateParam(s.charCodeAt(j++));
      while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
      const final = s.charCodeAt(j);
      if (!(final >= 0x40 && final <= 0x7e)) return j;
      if (final === 109 && !isPrivate) applySgr(this.style, s.slice(at + 2, j));
      return j + 1;
    }
    if (kind === 93) {
      const bell = s.indexOf("\x07", at);
      const st = s.indexOf("\x1b\\", at + 1);
      const end = bell < 0 ? (st < 0 ? s.length : st + 2) : st < 0 || bell < st ? bell + 1 : st + 2;
      return end;
    }
    if (kind >= 0x23 && kind <= 0x2f) return Math.min(s.length, at + 3);
    return kind >= 0x20 && kind <= 0x7e ? at + 2 : at + 1;
  }

  /** The line's HTML so far. */
  html(): string {
    this.endRun();
    return this.parts.join("");
  }

  /** Forgets the text so far (a lone `\r`); the style stays. */
  clear(): void {
    this.parts = [];
    this.runText = "";
    this.visible = false;
  }

  private text(t: string): void {
    const cls = isPlain(this.style) ? "" : styleClasses(this.style);
    if (cls !== this.runClass) {
      this.endRun();
      this.runClass = cls;
    }
    this.runText += t;
    this.visible = true;
  }

  private endRun(): void {
    if (this.runText === "") return;
    const escaped = escapeHtml(this.runText);
    this.parts.push(this.runClass === "" ? escaped : `<span class="${this.runClass}">${escaped}</span>`);
    this.runText = "";
  }
}

/** HTML of a line that has no control characters at all (the fast path). */
export function plainLineHtml(text: string, style: TextStyle): string {
  if (text === "") return "";
  return isPlain(style) ? escapeHtml(text) : `<span class="${styleClasses(style)}">${escapeHtml(text)}</span>`;
}
