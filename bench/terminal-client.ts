// Terminal bench clients: starts bench/terminal-server.ts, connects clients the way the page does, and measures
// throughput and keystroke echo over any BenchTerminal (porthole's, ttyd's); used by terminal and remote-runner.
import { join } from "node:path";

/** What the terminal bench needs of any terminal server's client: type text, wait until a pattern comes back. */
export interface BenchTerminal {
  /** Resolves with the performance.now() at which the frame holding the pattern arrived (the message handler's start). */
  until(pattern: string): Promise<number>;
  type(text: string): void;
  close(): void;
}

export interface PortholeTerminals {
  url: string;
  token: string;
  /** One job page path per terminal the server offers. */
  paths: string[];
  stop(): Promise<void>;
}

/** A terminal-only porthole in its own process (bench/terminal-server.ts) with `jobs` shells in `dir`. */
export async function startPortholeTerminals(jobs: number, dir: string): Promise<PortholeTerminals> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "terminal-server.ts"), String(jobs), dir], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("terminal-server exited before it was ready");
    line += new TextDecoder().decode(value);
  }
  const info = JSON.parse(line) as Omit<PortholeTerminals, "stop">;
  return {
    ...info,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** One porthole.terminal.v1 connection that acknowledges output as it arrives (as the page and CLI do). */
export async function connectPorthole(
  server: Pick<PortholeTerminals, "url" | "token">,
  path: string,
): Promise<BenchTerminal> {
  const ws = new WebSocket(`${server.url.replace("http", "ws")}${path}/terminal.ws?flow=ack`, {
    protocols: ["porthole.terminal.v1"],
    headers: { "PRIVATE-TOKEN": server.token },
    perMessageDeflate: false, // negotiated or not, porthole sends terminal output uncompressed
  } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  let received = 0;
  let tail = "";
  let waiter: { pattern: string; resolve: (at: number) => void } | null = null;
  ws.onmessage = ({ data }) => {
    const at = performance.now(); // before this client's own work on the frame, which differs between servers
    if (typeof data === "string") return;
    const bytes = new Uint8Array(data as ArrayBuffer);
    received += bytes.length;
    // Enough of the end to hold a marker followed by a long prompt (a job's shell shows its whole build dir).
    tail = (tail + Buffer.from(bytes.subarray(-512)).toString("latin1")).slice(-1024);
    if (waiter && tail.includes(waiter.pattern)) {
      const w = waiter;
      waiter = null;
      tail = "";
      w.resolve(at);
    }
    // After the match (its time taken), as the page acknowledges after rendering: not part of what the echo costs.
    ws.send(`{"type":"ack","bytes":${received}}`);
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const encoder = new TextEncoder();
  await Bun.sleep(300); // the shell's first prompt
  return {
    until: (pattern) => new Promise<number>((resolve) => (waiter = { pattern, resolve })),
    type: (text) => ws.send(encoder.encode(text)),
    close: () => ws.close(),
  };
}

/** Typed first and not counted: the first keys pay for JIT warm-up in every process on the path. */
export const WARMUP_KEYS = 50;

/**
 * Collects this client process's garbage before a timed run: the run before (50 MB of another server's frames, or
 * wetty's strings) must not be collected inside the next server's window.
 */
export function settleClient(): void {
  Bun.gc(true);
}

/** MB/s of `command`'s output (`bytes` of it), which ends by printing `marker` (spelled so that its echo does not). */
export async function throughputMBps(term: BenchTerminal, command: string, marker: string, bytes: number) {
  settleClient();
  const done = term.until(marker);
  const started = performance.now();
  term.type(`${command}\r`);
  return bytes / 1e3 / ((await done) - started);
}

/** Puts the shell's tty in raw mode under `cat > /dev/null`: each key then comes back as the tty's own echo. */
export async function rawEcho(terms: BenchTerminal[]): Promise<void> {
  for (const t of terms) t.type("stty echo raw; cat > /dev/null\r");
  await Bun.sleep(300);
}

/**
 * Echo times (ms) per terminal, `keys` each after WARMUP_KEYS, the terminals taking turns key by key, so that the
 * shared machine's drift hits each the same.
 */
export async function echoLatencies(terms: BenchTerminal[], keys: number): Promise<number[][]> {
  settleClient();
  const samples = terms.map(() => [] as number[]);
  for (let i = -WARMUP_KEYS; i < keys; i++) {
    const key = String.fromCharCode(97 + ((i + WARMUP_KEYS) % 26));
    for (const [n, term] of terms.entries()) {
      const echoed = term.until(key);
      const sent = performance.now();
      term.type(key);
      const arrived = await echoed;
      if (i >= 0) samples[n]!.push(arrived - sent);
      await Bun.sleep(5);
    }
  }
  return samples;
}
