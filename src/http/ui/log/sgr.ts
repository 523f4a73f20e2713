// ANSI SGR (`ESC[…m`) state: applies parameter lists and names the resulting style as CSS classes.

/** Text style of a log run. Colours are xterm-256 indexes; -1 is the default colour. */
export interface TextStyle {
  fg: number;
  bg: number;
  bold: boolean;
  faint: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
}

export const plainStyle = (): TextStyle => ({
  fg: -1,
  bg: -1,
  bold: false,
  faint: false,
  italic: false,
  underline: false,
  strike: false,
});

export function isPlain(s: TextStyle): boolean {
  return s.fg < 0 && s.bg < 0 && !s.bold && !s.faint && !s.italic && !s.underline && !s.strike;
}

/** The nearest xterm-256 index of a 24-bit colour (6×6×6 cube or grey ramp). */
export function nearest256(r: number, g: number, b: number): number {
  const level = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.floor((v - 35) / 40)));
  const cube = 16 + 36 * level(r) + 6 * level(g) + level(b);
  const avg = (r + g + b) / 3;
  if (Math.max(r, g, b) - Math.min(r, g, b) < 16 && avg > 4 && avg < 247) {
    return 232 + Math.min(23, Math.max(0, Math.round((avg - 8) / 10)));
  }
  return cube;
}

const byte = (v: number | undefined) => (v === undefined || !(v >= 0) ? 0 : Math.min(255, v));

function reset(s: TextStyle): void {
  s.fg = s.bg = -1;
  s.bold = s.faint = s.italic = s.underline = s.strike = false;
}

/** The numbers of a parameter string; empty parameters are 0 (hand-written: this runs for every coloured line). */
function parseCodes(params: string): number[] {
  const codes: number[] = [];
  let value = 0;
  for (let i = 0; i < params.length; i++) {
    const ch = params.charCodeAt(i);
    if (ch === 59 || ch === 58) {
      codes.push(value);
      value = 0;
    } else value = value * 10 + (ch - 48);
  }
  codes.push(value);
  return codes;
}

/** Applies one SGR parameter string (`"32;1"`, `""`, `"38;5;208"`) to `s` in place. Unknown codes are ignored. */
export function applySgr(s: TextStyle, params: string): void {
  const codes = parseCodes(params);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) reset(s);
    else if (c === 1) s.bold = true;
    else if (c === 2) s.faint = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 9) s.strike = true;
    else if (c === 22) s.bold = s.faint = false;
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c === 29) s.strike = false;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c === 39) s.fg = -1;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c === 49) s.bg = -1;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 38 || c === 48) {
      let colour = -1;
      if (codes[i + 1] === 5) {
        colour = byte(codes[i + 2]);
        i += 2;
      } else if (codes[i + 1] === 2) {
        colour = nearest256(byte(codes[i + 2]), byte(codes[i + 3]), byte(codes[i + 4]));
        i += 4;
      } else break;
      if (c === 38) s.fg = colour;
      else s.bg = colour;
    }
  }
}

const classCache = new Map<number, string>();

/** The CSS classes for a style (`"fg-2 bold"`), cached; empty for the plain style. */
export function styleClasses(s: TextStyle): string {
  const flags = +s.bold | (+s.faint << 1) | (+s.italic << 2) | (+s.underline << 3) | (+s.strike << 4);
  const key = ((s.fg + 1) * 257 + (s.bg + 1)) * 32 + flags;
  let cls = classCache.get(key);
  if (cls === undefined) {
    const parts: string[] = [];
    if (s.fg >= 0) parts.push(`fg-${s.fg}`);
    if (s.bg >= 0) parts.push(`bg-${s.bg}`);
    if (s.bold) parts.push("bold");
    if (s.faint) parts.push("faint");
    if (s.italic) parts.push("italic");
    if (s.underline) parts.push("underline");
    if (s.strike) parts.push("strike");
    cls = parts.join(" ");
    classCache.set(key, cls);
  }
  return cls;
}
