// The porthole side of bench/terminal.bench.ts: starts bench/terminal-server.ts and connects clients the way the page does.
import { join } from "node:path";

/** What the terminal bench needs of any terminal server's client: type text, wait until a pattern comes back. */
export interface BenchTerminal {
  /** Resolves with the performance.now() at which the pattern arrived (taken in the message handler). */
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
export async function connectPorthole(server: PortholeTerminals, path: string): Promise<BenchTerminal> {
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
    if (typeof data === "string") return;
    const bytes = new Uint8Array(data as ArrayBuffer);
    received += bytes.length;
    tail = (tail + Buffer.from(bytes.subarray(-64)).toString("latin1")).slice(-128);
    if (waiter && tail.includes(waiter.pattern)) {
      const w = waiter;
      waiter = null;
      tail = "";
      w.resolve(performance.now());
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
