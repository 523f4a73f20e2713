// Spawns a program on a pseudo-terminal behind the executor's `Pty` interface: our own master, read only on demand.
import { closeSync, constants, openSync } from "node:fs";
import type { Pty } from "../domain/pty.ts";
import { openMaster, setWindowSize, writeMaster } from "./libc.ts";
import { readMaster } from "./master-reader.ts";
import { killSession, signalSession } from "./session-reaper.ts";

export interface PtyOptions {
  cwd: string;
  /** The complete environment; nothing of the server's own is added (TERM defaults to xterm-256color). */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

/** How long a hung-up shell may take to exit before its whole session is killed. */
const HANGUP_GRACE_MS = 500;
/** After the program exits, its last output is read until EOF; a leftover background job may hold it open. */
const EXIT_DRAIN_MAX_MS = 300;
const WRITE_RETRY_MS = 5;
/** A write this short is a keystroke: its echo is waited for this long on the spot (master-reader.ts)... */
const KEYSTROKE_BYTES = 8;
const ECHO_WAIT_NS = 250_000;
/**
 * ...unless the last few waits were all in vain (a program that does not echo at once, a password prompt): then this
 * many keystrokes are not. One wait in vain alone is the machine being busy.
 */
const MISSES_IN_A_ROW = 3;
const KEYSTROKES_AFTER_MISSES = 16;

/**
 * `setsid -c` (util-linux) makes the program a session leader with the PTY as controlling terminal, so Ctrl-C
 * and SIGWINCH reach it whatever it is; it execs in place (same pid).
 */
const SETSID = Bun.which("setsid");

/**
 * Starts `argv` on a new PTY as the leader of its own session. The master is read on a background thread
 * (master-reader.ts) only while not paused: pausing leaves it unread, the kernel's buffer fills and the program
 * blocks in write(2) — nothing is lost, nothing piles up. onExit comes after the program's last output.
 * `close()` hangs up the session (SIGHUP), SIGKILLs whatever is left of it, reaps the program and closes the
 * master. Throws when the program cannot be started (e.g. the cwd does not exist) or setsid is missing.
 */
export function spawnPty(argv: string[], opts: PtyOptions): Pty {
  if (!SETSID) throw new Error("setsid (util-linux) is needed to start terminals");
  let exitListener: (code: number | null) => void = () => {};
  const { master, slavePath } = openMaster();
  setWindowSize(master, opts.cols, opts.rows);
  let slave = -1;
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    slave = openSync(slavePath, constants.O_RDWR | constants.O_NOCTTY);
    proc = Bun.spawn([SETSID, "-c", ...argv], {
      cwd: opts.cwd,
      env: { TERM: "xterm-256color", ...opts.env },
      stdio: [slave, slave, slave],
    });
  } catch (error) {
    if (slave >= 0) closeSync(slave);
    closeSync(master);
    throw error;
  }
  closeSync(slave); // only the program's side holds the slave now: EOF on the master means it is all read
  let sawEof: () => void = () => {};
  const eof = new Promise<void>((resolve) => (sawEof = resolve));
  /** What the reader calls; onData() swaps `data` in place, so each chunk costs no extra hop. */
  const output = { data: (_bytes: Uint8Array) => {}, eof: () => sawEof() };
  const reader = readMaster(master, output);
  const sid = proc.pid;
  const exitReported = proc.exited.then(async (code) => {
    await Promise.race([eof, Bun.sleep(EXIT_DRAIN_MAX_MS)]);
    exitListener(proc.signalCode ? null : code);
  });

  let closing: Promise<void> | null = null;
  let pendingInput: Uint8Array[] = [];
  let misses = 0;
  let unwaited = 0;
  /** The echo of a keystroke comes back in the same turn (the tty's within ~50 µs, a shell's soon after). */
  function awaitEcho(): void {
    if (unwaited > 0) unwaited--;
    else if (reader.awaitEcho(ECHO_WAIT_NS)) misses = 0;
    else if (++misses === MISSES_IN_A_ROW) {
      misses = 0;
      unwaited = KEYSTROKES_AFTER_MISSES;
    }
  }
  const encoder = new TextEncoder();
  function flushInput(): void {
    while (pendingInput.length && !closing) {
      const chunk = pendingInput[0]!;
      const n = writeMaster(master, chunk);
      if (n < 0) return void setTimeout(flushInput, WRITE_RETRY_MS); // the program is not reading: keep it
      if (n < chunk.length) pendingInput[0] = chunk.subarray(n);
      else pendingInput.shift();
    }
  }

  async function close(): Promise<void> {
    pendingInput = [];
    signalSession(sid, "SIGHUP"); // an interactive shell ignores SIGTERM; SIGHUP ends it and its jobs
    reader.resume(); // a blocked writer must be able to die and flush
    await Promise.race([proc.exited, Bun.sleep(HANGUP_GRACE_MS)]);
    await killSession(sid);
    await exitReported;
    await reader.close();
  }

  return {
    canPause: true,
    write(bytes) {
      if (closing) return;
      const chunk = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
      if (pendingInput.length === 0) {
        // A keystroke goes straight to the master; only what the program does not take yet is copied and kept.
        const n = writeMaster(master, chunk);
        if (n === chunk.length) return void (n <= KEYSTROKE_BYTES && awaitEcho());
        pendingInput.push(Uint8Array.from(chunk.subarray(Math.max(n, 0))));
        return void setTimeout(flushInput, WRITE_RETRY_MS);
      }
      pendingInput.push(typeof bytes === "string" ? chunk : Uint8Array.from(chunk));
    },
    resize(cols, rows) {
      if (!closing) setWindowSize(master, cols, rows);
    },
    onData: (listener) => (output.data = listener),
    onExit: (listener) => (exitListener = listener),
    pause: () => reader.pause(),
    resume: () => reader.resume(),
    close: () => (closing ??= close()),
  };
}
