// Spawns a program on a pseudo-terminal behind the executor's `Pty` interface (Bun's built-in PTY for now).
import type { Pty } from "../executor/types.ts";

export interface PtyOptions {
  cwd: string;
  /** The complete environment; nothing of the server's own is added. */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export function spawnPty(argv: string[], opts: PtyOptions): Pty {
  let dataListener: (b: Uint8Array) => void = () => {};
  let exitListener: (code: number | null) => void = () => {};
  const proc = Bun.spawn(argv, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    terminal: { cols: opts.cols, rows: opts.rows, data: (_t, bytes) => dataListener(bytes) },
  });
  let closed = false;
  proc.exited.then((code) => exitListener(proc.signalCode ? null : code));
  return {
    canPause: false,
    write: (bytes) => proc.terminal?.write(bytes),
    resize: (cols, rows) => proc.terminal?.resize(cols, rows),
    onData: (l) => (dataListener = l),
    onExit: (l) => (exitListener = l),
    pause: () => {},
    resume: () => {},
    async close() {
      if (closed) return;
      closed = true;
      // An interactive shell ignores SIGTERM: hang up its whole process group, then make sure.
      try { process.kill(-proc.pid, "SIGHUP"); } catch {}
      proc.terminal?.close();
      const done = await Promise.race([proc.exited.then(() => true), Bun.sleep(500).then(() => false)]);
      if (!done) try { process.kill(-proc.pid, "SIGKILL"); } catch {}
      await proc.exited;
    },
  };
}
