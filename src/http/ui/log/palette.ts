// The xterm-256 palette as CSS classes (`.log .fg-N`, `.log .bg-N`), the 16 base colours tuned for the dark log.

/** Colours 0–15, readable on the log's dark background (black is lifted to a dark grey). */
const BASE16 = [
  "#5c5c66",
  "#f2665c",
  "#5fd37a",
  "#e8c454",
  "#6ea4f7",
  "#cf84e8",
  "#4fc5d1",
  "#d8d8de",
  "#8a8a96",
  "#ff8a80",
  "#8aeea0",
  "#ffe27a",
  "#9cc2ff",
  "#e9a8fb",
  "#86e6ef",
  "#ffffff",
];

const hex = (n: number) => n.toString(16).padStart(2, "0");

/** The colour of xterm-256 index `i` (16–231 the 6×6×6 cube, 232–255 the grey ramp). */
export function xtermColor(i: number): string {
  if (i < 16) return BASE16[i]!;
  if (i < 232) {
    const v = i - 16;
    const level = (n: number) => (n === 0 ? 0 : 55 + n * 40);
    return `#${hex(level(Math.floor(v / 36)))}${hex(level(Math.floor(v / 6) % 6))}${hex(level(v % 6))}`;
  }
  const g = 8 + (i - 232) * 10;
  return `#${hex(g)}${hex(g)}${hex(g)}`;
}

/** CSS for all 256 foreground and background classes. */
export function paletteCss(): string {
  const rules: string[] = [];
  for (let i = 0; i < 256; i++) {
    const c = xtermColor(i);
    rules.push(`.log .fg-${i}{color:${c}}`, `.log .bg-${i}{background:${c}}`);
  }
  return rules.join("");
}
