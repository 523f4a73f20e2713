// The PTY as a user meets it: a real bash on a real terminal, flow control, Ctrl-C, and nothing left behind.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pty } from "../domain/pty.ts";
import { sessionMembers } from "./session-reaper.ts";
import { spawnPty } from "./spawn-pty.ts";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/tmp", PS1: "$ ", MY_VAR: "from-the-job" };
const open: Pty[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

/** Collects a PTY's output and waits (up to 10 s) until the new part of it matches. */
function watch(pty: Pty) {
  let text = "";
  let checked = 0;
  pty.onData((b) => (text += Buffer.from(b).toString("latin1")));
  return {
    text: () => text,
    bytes: () => Buffer.from(text, "latin1"),
    total: () => text.length,
    async until(pattern: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + ms;
      for (;;) {
        const from = Math.max(0, checked - 512);
        const m = text.slice(from).match(pattern);
        if (m) {
          checked = from + (m.index ?? 0) + m[0].length;
          return m;
        }
        checked = text.length;
        if (Date.now() > deadline) throw new Error(`no ${pattern} in output: ${JSON.stringify(text.slice(-300))}`);
        await Bun.sleep(10);
      }
    },
  };
}

function shell(cwd = tmpdir(), cols = 80, rows = 24) {
  const pty = spawnPty(["bash", "--norc", "--noprofile", "-i"], { cwd, env, cols, rows });
  open.push(pty);
  return { pty, out: watch(pty) };
}

describe("spawnPty", () => {
  test("runs in the given directory with exactly the given environment, and resizes", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "pty-cwd-")));
    const { pty, out } = shell(dir, 91, 27);
    expect(pty.canPause).toBe(true);
    pty.write("echo dir=$(pwd) var=$MY_VAR user=${USER:-unset}; stty size\n");
    await out.until(/27 91/);
    expect(out.text()).toContain(`dir=${dir} var=from-the-job user=unset`);
    pty.resize(132, 40);
    pty.write("stty size\n");
    await out.until(/40 132/);
  });

  test("passes every byte value through unchanged", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "pty-bin-")), "all-bytes");
    writeFileSync(file, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    const { pty, out } = shell();
    pty.write(`stty raw -echo; printf 'BEG''IN>'; cat ${file}; printf '<E''ND'; stty sane\n`);
    await out.until(/<END/);
    const all = out.bytes();
    const start = all.indexOf("BEGIN>") + 6;
    expect([...all.subarray(start, start + 256)]).toEqual(Array.from({ length: 256 }, (_, i) => i));
  });

  test("pause stops the program's output without losing any; resume delivers the rest", async () => {
    const { pty, out } = shell();
    await out.until(/\$ $/);
    pty.write("stty -echo; read go; seq 1 2000000; echo FIN''ISHED\n");
    await out.until(/FIN''ISHED\r\n/); // the echoed command: `read` now waits for a line
    pty.pause();
    const before = out.total();
    pty.write("\n"); // input still flows: seq starts, and blocks on its first write
    await Bun.sleep(500);
    const held = out.total();
    await Bun.sleep(500);
    expect(out.total()).toBe(held); // the writer is blocked, nothing accumulates
    expect(held - before).toBeLessThan(64 * 1024);
    pty.resume();
    await out.until(/FINISHED/);
    const text = out.text();
    const first = text.search(/(?<![0-9])1\r\n2\r\n3\r\n/);
    const numbers = text.slice(first, text.indexOf("\r\nFINISHED")).split("\r\n");
    expect([numbers.length, ...numbers.slice(0, 2), ...numbers.slice(-2)]).toEqual([
      2_000_000,
      "1",
      "2",
      "1999999",
      "2000000",
    ]);
    expect(numbers.every((n, i) => n === String(i + 1))).toBe(true);
  }, 30_000);

  test("Ctrl-C ends a flood even while output is paused", async () => {
    const { pty, out } = shell();
    pty.write("yes\n");
    await out.until(/y\r\ny\r\n/);
    pty.pause();
    pty.write("\x03");
    pty.resume();
    pty.write("echo status=$?\n");
    await out.until(/status=130/);
  });

  test("a busy main thread cannot make output pile up: the reader stops at its in-flight limit", async () => {
    const { pty, out } = shell();
    pty.write("yes\n");
    await out.until(/y\r\ny\r\n/);
    const busyUntil = Date.now() + 400; // meanwhile the reader thread may post only up to its limit
    while (Date.now() < busyUntil);
    pty.pause(); // from here nothing new is read: what still arrives was already posted
    const before = out.total();
    await Bun.sleep(200);
    const delivered = out.total() - before;
    pty.resume();
    pty.write("\x03");
    // 400 ms of `yes` is tens of MB on this machine; at most one megabyte plus one read batch may be in flight.
    expect(delivered).toBeLessThanOrEqual((1 << 20) + 256 * 1024);
  });

  test("many floods at once through a busy main thread: every byte of each arrives, in order", async () => {
    // 12 × 1 MB may be in flight, more than the reader's 8 MB ring holds: it waits for room, and wraps many times.
    const lines = 300_000;
    const expected = `${Array.from({ length: lines }, (_, i) => i + 1).join("\r\n")}\r\n`;
    const floods = Array.from({ length: 12 }, () => {
      const pty = spawnPty(["seq", "1", String(lines)], { cwd: tmpdir(), env, cols: 80, rows: 24 });
      open.push(pty);
      const chunks: Uint8Array[] = [];
      pty.onData((b) => chunks.push(b));
      return new Promise<string>((resolve) => pty.onExit(() => resolve(Buffer.concat(chunks).toString("latin1"))));
    });
    const busyUntil = Date.now() + 500;
    while (Date.now() < busyUntil);
    for (const text of await Promise.all(floods)) {
      expect(text.length).toBe(expected.length);
      expect(text === expected).toBe(true);
    }
  });

  test("keystrokes typed during steady output: every line still arrives once, in order", async () => {
    // Each keystroke's echo is read on the spot, beside the stream that carries the rest of the output.
    const lines = 50_000;
    const script = `stty -echo; i=1; while [ $i -le ${lines} ]; do echo $i; i=$((i+1)); done`;
    const pty = spawnPty(["bash", "--norc", "--noprofile", "-c", script], { cwd: tmpdir(), env, cols: 80, rows: 24 });
    open.push(pty);
    const chunks: Uint8Array[] = [];
    pty.onData((b) => chunks.push(b));
    let exited = false;
    const done = new Promise<void>((resolve) => pty.onExit(() => resolve()));
    void done.then(() => (exited = true));
    while (!exited) {
      pty.write("k");
      await Bun.sleep(0);
    }
    const numbers = Buffer.concat(chunks).toString("latin1").replaceAll("k", "").split("\r\n").filter(Boolean);
    expect(numbers.length).toBe(lines);
    expect(numbers.every((n, i) => n === String(i + 1))).toBe(true);
  }, 30_000);

  test("close() ends the shell and everything it started, even what ignores SIGHUP", async () => {
    const { pty, out } = shell();
    let exited: number | null | undefined;
    pty.onExit((code) => (exited = code));
    pty.write("sleep 1000 & nohup sleep 1001 >/dev/null 2>&1 & (trap '' HUP; sleep 1002) & echo sid=$$\n");
    const sid = Number((await out.until(/sid=(\d+)/))[1]);
    expect(sessionMembers(sid).length).toBeGreaterThanOrEqual(4);
    await pty.close();
    await pty.close(); // safe twice
    expect(sessionMembers(sid)).toEqual([]);
    expect(exited === null || typeof exited === "number").toBe(true);
  });

  test("any program gets the terminal as its controlling tty, so window-size changes signal it", async () => {
    const pty = spawnPty(
      ["sh", "-c", "trap 'echo got-winch' WINCH; echo tty=$(ps -o tty= -p $$); while :; do sleep 0.05; done"],
      {
        cwd: tmpdir(),
        env,
        cols: 80,
        rows: 24,
      },
    );
    open.push(pty);
    const out = watch(pty);
    await out.until(/tty=pts\/\d+/);
    pty.resize(100, 30);
    await out.until(/got-winch/);
  });

  test("reports the shell's exit code", async () => {
    const { pty } = shell();
    const code = new Promise<number | null>((resolve) => pty.onExit(resolve));
    pty.write("exit 3\n");
    expect(await code).toBe(3);
  });

  test("a missing working directory is an error, not a crash", () => {
    expect(() => spawnPty(["bash"], { cwd: "/nonexistent/dir", env, cols: 80, rows: 24 })).toThrow();
  });
});
