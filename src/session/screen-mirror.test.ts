// The screen mirror: what a late joiner is shown must repaint the screen as the program left it.
import { describe, expect, test } from "bun:test";
import { Terminal } from "@xterm/headless";
import { ScreenMirror } from "./screen-mirror.ts";

const enc = new TextEncoder();

/** Paints a snapshot on a fresh terminal and returns its visible lines, trimmed. */
async function paint(snapshot: string, cols: number, rows: number): Promise<string[]> {
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(snapshot, resolve));
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? "");
  term.dispose();
  return lines;
}

describe("ScreenMirror", () => {
  test("a snapshot repaints text, cursor moves and the current size", async () => {
    const mirror = new ScreenMirror(40, 10);
    mirror.push(enc.encode("line one\r\nline two\r\n"));
    mirror.push(enc.encode("\x1b[5;10Hat row five\x1b[1;1Htop"));
    mirror.resize(50, 12);
    mirror.push(enc.encode("\x1b[12;1Hbottom of 12 rows"));
    const lines = await paint(await mirror.snapshot(), 50, 12);
    expect(lines[0]).toBe("tope one");
    expect(lines[1]).toBe("line two");
    expect(lines[4]).toBe("         at row five");
    expect(lines[11]).toBe("bottom of 12 rows");
    mirror.dispose();
  });

  test("a snapshot covers exactly what was pushed before it was asked for", async () => {
    const mirror = new ScreenMirror(20, 5);
    mirror.push(enc.encode("before"));
    const snap = mirror.snapshot();
    mirror.push(enc.encode(" after"));
    const lines = await paint(await snap, 20, 5);
    expect(lines[0]).toBe("before");
    mirror.dispose();
  });

  test("after a flood bigger than the limit the screen still shows the last output", async () => {
    const mirror = new ScreenMirror(30, 5, { trimAbove: 64 * 1024, keepTail: 16 * 1024 });
    for (let i = 0; i < 20_000; i++) mirror.push(enc.encode(`row ${i}\r\n`));
    const lines = await paint(await mirror.snapshot(), 30, 5);
    expect(lines.slice(0, 4)).toEqual(["row 19996", "row 19997", "row 19998", "row 19999"]);
    mirror.dispose();
  });

  test("a secret is masked in the snapshot, also when it came split across pushes", async () => {
    const mirror = new ScreenMirror(40, 5, {}, ["s3cr3t-value"]);
    mirror.push(enc.encode("one s3cr3t-value\r\ntwo s3cr"));
    mirror.push(enc.encode("3t-value end\r\n"));
    const lines = await paint(await mirror.snapshot(), 40, 5);
    expect(lines.slice(0, 2)).toEqual(["one [MASKED]", "two [MASKED] end"]);
    mirror.dispose();
  });
});
