// Spawns a program on a pseudo-terminal behind the executor's `Pty` interface: Bun's PTY plus kernel flow control.
import { closeSync, constants, openSync } from "node:fs";
import type { Pty } from "../executor/types.ts";
import { killSession, signalSession } from "./session-reaper.ts";
import { withSlavePath } from "./slave-path.ts";
import { canSuspendOutput, resumeOutput, suspendOutput } from "./tty-flow.ts";

export interface PtyOptions {
  cwd: string;
  /** The complete environment; nothing of the server's own is added (TERM defaults to xterm-256color). */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

/** How long a hung-up shell may take to exit before its whole session is killed. */
const HANGUP_GRACE_MS = 500;

/**
 * util-linux `setsid -c` makes the program a session leader AND gives it the PTY as controlling terminal
 * (TIOCSCTTY), so Ctrl-C and SIGWINCH reach it; Bun's `detached` only calls setsid(), which leaves programs
 * that do not open their tty themselves (anything but bash) without one. It execs in place: same pid.
 */
const SETSID = Bun.which("setsid");

/**
 * Starts `argv` as the leader of a new session whose controlling terminal is a fresh PTY (Bun reads the master).
 * Pausing suspends the terminal's output in the kernel (see tty-flow.ts): the program blocks in write(2), and
 * the few bytes already read still arrive, so output is never lost and never piles up. `close()` hangs up the
 * session (SIGHUP), closes the terminal, SIGKILLs whatever of the session is left and reaps the shell.
 * Throws when the program cannot be started (e.g. the cwd does not exist).
 */
export function spawnPty(argv: string[], opts: PtyOptions): Pty {
  let dataListener: (bytes: Uint8Array) => void = () => {};
  let exitListener: (code: number | null) => void = () => {};
  let paused = false;
  const { made: terminal, slavePath } = withSlavePath(
    () =>
      new Bun.Terminal({
        cols: opts.cols,
        rows: opts.rows,
        data(_t, bytes) {
          if (paused && slaveFd >= 0) suspendOutput(slaveFd); // the program itself may have restarted output
          dataListener(bytes);
        },
      }),
  );
  // Our own handle on the slave side, only for tcflow(); O_NOCTTY so the server never gains a controlling tty.
  const slaveFd = slavePath && canSuspendOutput() ? openSync(slavePath, constants.O_RDWR | constants.O_NOCTTY) : -1;
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn(SETSID ? [SETSID, "-c", ...argv] : argv, {
      cwd: opts.cwd,
      env: { TERM: "xterm-256color", ...opts.env },
      detached: !SETSID,
      terminal,
    });
  } catch (error) {
    terminal.close();
    if (slaveFd >= 0) closeSync(slaveFd);
    throw error;
  }
  const sid = proc.pid;
  proc.exited.then((code) => exitListener(proc.signalCode ? null : code));

  let closing: Promise<void> | null = null;
  async function close(): Promise<void> {
    signalSession(sid, "SIGHUP"); // an interactive shell ignores SIGTERM; SIGHUP ends it and its jobs
    terminal.close();
    await Promise.race([proc.exited, Bun.sleep(HANGUP_GRACE_MS)]);
    await killSession(sid);
    await proc.exited;
    if (slaveFd >= 0) closeSync(slaveFd);
  }

  return {
    canPause: slaveFd >= 0,
    write(bytes) {
      if (!terminal.closed) terminal.write(bytes);
    },
    resize(cols, rows) {
      if (!terminal.closed) terminal.resize(cols, rows);
    },
    onData: (listener) => (dataListener = listener),
    onExit: (listener) => (exitListener = listener),
    pause() {
      if (paused || slaveFd < 0 || closing) return;
      paused = true;
      suspendOutput(slaveFd);
    },
    resume() {
      if (!paused || closing) return;
      paused = false;
      resumeOutput(slaveFd);
    },
    close: () => (closing ??= close()),
  };
}
