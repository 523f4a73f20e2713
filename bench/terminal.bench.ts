// Terminal throughput (PTY → server → WebSocket → client) against the raw PTY and wetty, and keystroke echo latency.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";
import { startWetty, wettyThroughput } from "./terminal-wetty.ts";

const PAYLOAD_BYTES = 50_000_000;
const RUNS = 5;
const KEYS = 500;
/** Typed first and not counted: the first keys pay for JIT warm-up in both processes. */
const WARMUP_KEYS = 50;
const MARKER = "__DONE__";
const COMMAND = `cat payload.b64; echo __DO""NE__`;

interface Server {
  url: string;
  token: string;
  paths: string[];
  stop(): Promise<void>;
}

async function startServer(jobs: number, dir: string): Promise<Server> {
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
  const info = JSON.parse(line) as Omit<Server, "stop">;
  return {
    ...info,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** One porthole.terminal.v1 connection that acknowledges output as it arrives (as the page and CLI do). */
async function connect(server: Server, path: string) {
  const ws = new WebSocket(`${server.url.replace("http", "ws")}${path}/terminal.ws?flow=ack`, {
    protocols: ["porthole.terminal.v1"],
    headers: { "PRIVATE-TOKEN": server.token },
    perMessageDeflate: false, // negotiated or not, porthole sends terminal output uncompressed
  } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  let received = 0;
  let tail = "";
  let waiter: { pattern: string; resolve: () => void } | null = null;
  ws.onmessage = ({ data }) => {
    if (typeof data === "string") return;
    const bytes = new Uint8Array(data as ArrayBuffer);
    received += bytes.length;
    ws.send(`{"type":"ack","bytes":${received}}`);
    tail = (tail + Buffer.from(bytes.subarray(-64)).toString("latin1")).slice(-128);
    if (waiter && tail.includes(waiter.pattern)) {
      const w = waiter;
      waiter = null;
      tail = "";
      w.resolve();
    }
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const until = (pattern: string) => new Promise<void>((resolve) => (waiter = { pattern, resolve }));
  const type = (text: string) => ws.send(new TextEncoder().encode(text));
  await Bun.sleep(300); // the shell's first prompt
  return { ws, until, type, received: () => received };
}

function rawPtyMBps(dir: string): number {
  const started = performance.now();
  Bun.spawnSync(["script", "-qc", `cat ${join(dir, "payload.b64")}`, "/dev/null"], { stdout: "ignore", cwd: dir });
  return PAYLOAD_BYTES / 1e3 / (performance.now() - started);
}

async function portholeMBps(term: Awaited<ReturnType<typeof connect>>): Promise<number> {
  const done = term.until(MARKER);
  const started = performance.now();
  term.type(`${COMMAND}\r`);
  await done;
  return PAYLOAD_BYTES / 1e3 / (performance.now() - started);
}

/** Kernel echo in raw mode: each key comes back from the tty itself, through the whole server path. */
async function echoLatencies(term: Awaited<ReturnType<typeof connect>>): Promise<number[]> {
  term.type("stty raw; cat > /dev/null\r");
  await Bun.sleep(300);
  const samples: number[] = [];
  for (let i = -WARMUP_KEYS; i < KEYS; i++) {
    const key = String.fromCharCode(97 + ((i + WARMUP_KEYS) % 26));
    const echoed = term.until(key);
    const sent = performance.now();
    term.type(key);
    await echoed;
    if (i >= 0) samples.push(performance.now() - sent);
    await Bun.sleep(5);
  }
  term.type("\x04");
  return samples;
}

const bench: Bench = {
  name: "terminal",
  description:
    "Web terminal: PTY→WebSocket throughput vs raw PTY and wetty; keystroke echo latency with 1 and 50 terminals",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "porthole-term-bench-"));
    writeFileSync(
      join(dir, "payload.b64"),
      Buffer.from(crypto.getRandomValues(new Uint8Array((PAYLOAD_BYTES * 3) / 4)).buffer as ArrayBuffer).toString(
        "base64",
      ),
    );
    const server = await startServer(50, dir);
    const wetty = await startWetty(dir).catch((e: Error) => e);
    try {
      const raw: number[] = [];
      const ours: number[] = [];
      const ratios: number[] = [];
      const theirs: number[] = [];
      const term = await connect(server, server.paths[0]!);
      term.type("stty -echo\r");
      for (let i = 0; i < RUNS; i++) {
        raw.push(rawPtyMBps(dir));
        ours.push(await portholeMBps(term));
        ratios.push(ours.at(-1)! / raw.at(-1)!); // paired runs: the machine is shared, its speed drifts
        if (!(wetty instanceof Error)) theirs.push(await wettyThroughput(wetty, COMMAND, MARKER, PAYLOAD_BYTES));
      }
      term.type("stty echo\r");
      const one = await echoLatencies(term);
      const others = await Promise.all(server.paths.slice(1).map((p) => connect(server, p)));
      const fifty = await echoLatencies(term);
      for (const o of others) o.ws.close();
      term.ws.close();
      const metrics: Metric[] = [
        { name: "raw PTY (script -qc) throughput", value: round(median(raw)), unit: "MB/s" },
        { name: "porthole PTY→WebSocket throughput", value: round(median(ours)), unit: "MB/s" },
        {
          name: "porthole / raw PTY (median of paired runs)",
          value: round(median(ratios), 2),
          unit: "×",
          target: { above: 0.7 },
        },
        { name: "echo p50, 1 terminal", value: round(percentile(one, 50), 2), unit: "ms", target: { below: 0.5 } },
        { name: "echo p99, 1 terminal", value: round(percentile(one, 99), 2), unit: "ms", target: { below: 2 } },
        { name: "echo p50, 50 terminals", value: round(percentile(fifty, 50), 2), unit: "ms" },
        { name: "echo p99, 50 terminals", value: round(percentile(fifty, 99), 2), unit: "ms", target: { below: 5 } },
      ];
      if (theirs.length) metrics.splice(2, 0, { name: "wetty throughput", value: round(median(theirs)), unit: "MB/s" });
      const notes = [
        `${PAYLOAD_BYTES / 1e6} MB base64 file (no newlines), ${RUNS} runs each, medians; one client acknowledging as it reads`,
        `echo: ${KEYS} keys, kernel echo in raw mode, 5 ms between keys; 50 terminals = 49 more idle shells attached`,
        wetty instanceof Error
          ? `wetty not measured: ${wetty.message}`
          : "wetty: its own socket.io protocol with commit-based flow control",
      ];
      return { metrics, notes };
    } finally {
      if (!(wetty instanceof Error)) await wetty.stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
