// A terminal into the job's container: a `docker exec` with a TTY behind the executor's `Pty` interface.

import type { Duplex } from "node:stream";
import type Dockerode from "dockerode";
import type { Pty } from "../../domain/pty.ts";
import { SystemFailure } from "../types.ts";
import { dockerMessage } from "./engine.ts";
import { execMarker, killExec, shellCommand } from "./in-container.ts";

export interface TerminalOptions {
  /** Names the shell's pid file inside the container; unique per executor. */
  id: string;
  cols: number;
  rows: number;
  workingDir: string;
  /** Added to the container's environment (which already holds the job's variables). */
  env: string[];
  /** A debugged job's saved shell state (variables, directory), read by the shell first when it exists. */
  savedState?: string;
}

/** A terminal the executor can also end by removing its container: `containerRemoved()` makes onExit report null. */
export interface ContainerTerminal extends Pty {
  containerRemoved(): void;
}

/**
 * Starts bash (or sh) on a TTY in `container`. Output is held until `onData` is set. `pause()` stops reading the
 * exec socket, so the shell's program blocks once the kernel's buffers fill. `close()` kills the shell and
 * everything it started (closing the socket alone would leave it running); `onExit` then reports null.
 * Throws `SystemFailure` when the container cannot start a shell.
 */
export async function openContainerTerminal(
  container: Dockerode.Container,
  opts: TerminalOptions,
): Promise<ContainerTerminal> {
  let exec: Dockerode.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: shellCommand(opts.id, opts.savedState),
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      WorkingDir: opts.workingDir,
      Env: [...opts.env, execMarker(opts.id)],
    });
    stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  } catch (error) {
    throw new SystemFailure(`cannot open a terminal in the job's container: ${dockerMessage(error)}`);
  }
  const resize = (cols: number, rows: number): Promise<void> =>
    cols > 0 && rows > 0
      ? exec.resize({ w: Math.floor(cols), h: Math.floor(rows) }).then(
          () => {},
          () => {},
        )
      : Promise.resolve();
  // The engine here (API 1.41) has no ConsoleSize on exec: the first size must be set before anyone types.
  await resize(opts.cols, opts.rows);

  let closing: Promise<void> | undefined;
  let killed = false;
  let paused = false;
  let exitListener: ((code: number | null) => void) | undefined;
  const ended = new Promise<void>((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
  const exitCode = ended.then(() => (killed || closing ? null : finishedCode(exec)));
  exitCode.then((code) => exitListener?.(code));

  return {
    canPause: true,
    write: (bytes) => {
      if (!closing && stream.writable) stream.write(bytes);
    },
    resize: (cols, rows) => void resize(cols, rows),
    onData(listener) {
      stream.on("data", (chunk: Buffer) => listener(chunk));
      if (paused) stream.pause();
    },
    onExit: (listener) => (exitListener = listener),
    pause: () => {
      paused = true;
      stream.pause();
    },
    resume: () => {
      paused = false;
      if (stream.listenerCount("data") > 0) stream.resume();
    },
    close() {
      closing ??= (async () => {
        await killExec(container, opts.id, 2000);
        await Promise.race([ended, Bun.sleep(1000)]);
        stream.destroy();
      })();
      return closing;
    },
    containerRemoved: () => {
      killed = true;
    },
  };
}

async function finishedCode(exec: Dockerode.Exec): Promise<number | null> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await exec.inspect().catch(() => undefined);
    if (!info) return null;
    if (!info.Running) return info.ExitCode;
    await Bun.sleep(20);
  }
  return null;
}
