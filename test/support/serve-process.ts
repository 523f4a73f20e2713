// Runs `porthole serve` as a real child process (source or compiled binary) and waits for its "listening on URL" line.
import type { Subprocess } from "bun";

export interface ServeProcess {
  /** The URL from the server's "listening on" line. */
  url: string;
  pid: number;
  /** Everything the server printed so far (stdout and stderr interleaved by arrival). */
  output(): string;
  /** SIGTERM, then waits for the exit; returns the exit code. */
  stop(): Promise<number>;
  /** The exit code once the process has exited (and its output was read), without signalling it. */
  exited: Promise<number>;
}

export interface ServeOptions {
  cwd: string;
  env: Record<string, string>;
  /** Give up (and kill the process) when it has not said "listening on" by then. A failure guard, not a measurement. */
  timeoutMs?: number;
}

async function collect(stream: ReadableStream<Uint8Array>, sink: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) sink(decoder.decode(chunk, { stream: true }));
}

/** Starts `argv` (e.g. `["./porthole", "serve", "--listen", "127.0.0.1:0"]`); rejects with its output if it exits first. */
export async function startServeProcess(argv: string[], opts: ServeOptions): Promise<ServeProcess> {
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(argv, {
    cwd: opts.cwd,
    env: opts.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  let onText = () => {};
  const append = (chunk: string) => {
    text += chunk;
    onText();
  };
  const drained = Promise.all([collect(proc.stdout, append), collect(proc.stderr, append)]);
  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () => fail(`no "listening on" line within ${opts.timeoutMs ?? 30_000} ms`),
      opts.timeoutMs ?? 30_000,
    );
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.kill("SIGKILL");
      reject(new Error(`${argv.join(" ")}: ${why}; output:\n${text}`));
    };
    onText = () => {
      const found = /listening on (http[^\s"]+)/.exec(text)?.[1];
      if (!found || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(found);
    };
    proc.exited.then((code) => fail(`exited with code ${code} before listening`));
  });
  return {
    url,
    pid: proc.pid,
    output: () => text,
    async stop() {
      proc.kill("SIGTERM");
      const code = await proc.exited;
      await drained;
      return code;
    },
    exited: drained.then(() => proc.exited),
  };
}
