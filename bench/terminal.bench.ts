// Terminal throughput (PTY → server → WebSocket → client) against the raw PTY and wetty, and keystroke echo latency.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, percentile, round } from "./lib/stats.ts";
import { connectTerminal, echoLatencies, terminalMBps } from "./lib/terminal-client.ts";
import type { Bench, Metric } from "./lib/types.ts";
import { startWetty, wettyThroughput } from "./terminal-wetty.ts";

const PAYLOAD_BYTES = 50_000_000;
const RUNS = 5;
const KEYS = 500;
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

function rawPtyMBps(dir: string): number {
  const started = performance.now();
  Bun.spawnSync(["script", "-qc", `cat ${join(dir, "payload.b64")}`, "/dev/null"], { stdout: "ignore", cwd: dir });
  return PAYLOAD_BYTES / 1e3 / (performance.now() - started);
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
      const term = await connectTerminal(server, server.paths[0]!);
      term.type("stty -echo\r");
      for (let i = 0; i < RUNS; i++) {
        raw.push(rawPtyMBps(dir));
        ours.push(await terminalMBps(term, COMMAND, MARKER, PAYLOAD_BYTES));
        ratios.push(ours.at(-1)! / raw.at(-1)!); // paired runs: the machine is shared, its speed drifts
        if (!(wetty instanceof Error)) theirs.push(await wettyThroughput(wetty, COMMAND, MARKER, PAYLOAD_BYTES));
      }
      term.type("stty echo\r");
      const one = await echoLatencies(term, KEYS);
      const others = await Promise.all(server.paths.slice(1).map((p) => connectTerminal(server, p)));
      const fifty = await echoLatencies(term, KEYS);
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
