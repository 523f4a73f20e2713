// Runs one step's script with bash in its own process group, streaming its output; kills the whole tree on abort.
import type { OutputSink } from "../types.ts";
import { killProcessesWithEnv, PROCESS_TAG, signalProcess } from "./tagged-processes.ts";

/** After SIGTERM, the group gets SIGKILL this much later if it is still there. */
const KILL_AFTER_MS = 1000;
/** After the shell exits, output still in flight is read for at most this long (a process that escaped the
 * group may hold the pipe open forever). */
const DRAIN_MS = 1000;
/** The exit code reported for a step that was aborted before it started (as if SIGKILLed). */
const NOT_STARTED = 137;

export interface StepProcessOptions {
  /** Runs bash inside the job's sandbox (`nsenter … env -C <dir> --`); empty on the host. */
  prefix: readonly string[];
  bash: string;
  scriptFile: string;
  cwd: string;
  env: Record<string, string>;
  out: OutputSink;
  signal: AbortSignal;
}

/**
 * Runs `bash --noprofile --norc <scriptFile>` and resolves with its exit code once it has exited and its output
 * is written to `out`. When the shell exits (or `signal` aborts: SIGTERM, then SIGKILL after a second), whatever
 * the step left running is killed: its process group, and processes carrying the step's tag that left it.
 */
export async function runStepProcess(opts: StepProcessOptions): Promise<number> {
  if (opts.signal.aborted) return NOT_STARTED;
  const proc = Bun.spawn([...opts.prefix, opts.bash, "--noprofile", "--norc", opts.scriptFile], {
    cwd: opts.cwd,
    env: opts.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const group = -proc.pid;
  const readers = [proc.stdout.getReader(), proc.stderr.getReader()];
  const drained = Promise.all(readers.map((reader) => pump(reader, opts.out)));
  let killTimer: ReturnType<typeof setTimeout> | null = null;
  const terminate = () => {
    signalProcess(group, "SIGTERM");
    killTimer = setTimeout(() => signalProcess(group, "SIGKILL"), KILL_AFTER_MS);
  };
  opts.signal.addEventListener("abort", terminate, { once: true });
  try {
    const code = await proc.exited;
    signalProcess(group, "SIGKILL");
    await killProcessesWithEnv(`${PROCESS_TAG}=${opts.env[PROCESS_TAG]}`);
    if (!(await settlesWithin(drained, DRAIN_MS))) {
      await Promise.all(readers.map((reader) => reader.cancel().catch(() => {})));
    }
    return code;
  } finally {
    opts.signal.removeEventListener("abort", terminate);
    if (killTimer) clearTimeout(killTimer);
  }
}

/** Whether `promise` settles within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}

async function pump(reader: ReadableStreamDefaultReader<Uint8Array>, out: OutputSink): Promise<void> {
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) out.write(r.value);
  } catch {
    // The reader was canceled after the drain time: what was read is written.
  }
}
