// Terminal throughput (PTY → server → WebSocket → client) against the raw PTY, ttyd and wetty in one run, and
// keystroke echo latency against ttyd with 1 and 50 terminals open.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";
import {
  type BenchTerminal,
  connectPorthole,
  echoLatencies,
  rawEcho,
  startPortholeTerminals,
  throughputMBps,
  WARMUP_KEYS,
} from "./terminal-client.ts";
import { startTtyd } from "./terminal-ttyd.ts";
import { startWetty, wettyThroughput, wettyVersion } from "./terminal-wetty.ts";

const PAYLOAD_BYTES = 50_000_000;
const RUNS = 5;
const KEYS = 1000;
const TERMINALS = 50;
const MARKER = "__DONE__";
const COMMAND = `cat payload.b64; echo __DO""NE__`;

function rawPtyMBps(dir: string): number {
  const started = performance.now();
  Bun.spawnSync(["script", "-qc", `cat ${join(dir, "payload.b64")}`, "/dev/null"], { stdout: "ignore", cwd: dir });
  return PAYLOAD_BYTES / 1e3 / (performance.now() - started);
}

/** porthole's own echo targets (ms), kept from before ttyd ran beside it. */
const OWN_TARGETS: Record<string, number> = {
  "p50, 1 terminal": 0.5,
  "p99, 1 terminal": 2,
  [`p99, ${TERMINALS} terminals`]: 5,
};

function echoMetrics(label: string, ours: number[], theirs: number[] | undefined): Metric[] {
  const metrics: Metric[] = [];
  for (const p of [50, 99]) {
    const own = OWN_TARGETS[`p${p}, ${label}`];
    metrics.push({
      name: `porthole echo p${p}, ${label}`,
      value: round(percentile(ours, p), 2),
      unit: "ms",
      ...(own ? { target: { below: own } } : {}),
    });
    if (!theirs) continue;
    metrics.push(
      { name: `ttyd echo p${p}, ${label}`, value: round(percentile(theirs, p), 2), unit: "ms" },
      {
        name: `porthole / ttyd echo p${p}, ${label}`,
        value: round(percentile(ours, p) / percentile(theirs, p), 2),
        unit: "×",
        target: { below: 1 },
      },
    );
  }
  return metrics;
}

const bench: Bench = {
  name: "terminal",
  description:
    "Web terminal: PTY→WebSocket throughput vs raw PTY, ttyd and wetty; keystroke echo vs ttyd with 1 and 50 terminals",
  async run() {
    const loadBefore = loadavg();
    const dir = mkdtempSync(join(tmpdir(), "porthole-term-bench-"));
    writeFileSync(
      join(dir, "payload.b64"),
      Buffer.from(crypto.getRandomValues(new Uint8Array((PAYLOAD_BYTES * 3) / 4)).buffer as ArrayBuffer).toString(
        "base64",
      ),
    );
    const server = await startPortholeTerminals(TERMINALS, dir);
    const ttyd = await startTtyd(dir).catch((e: Error) => e);
    const wetty = await startWetty(dir).catch((e: Error) => e);
    const open: BenchTerminal[] = [];
    try {
      const raw: number[] = [];
      const ours: number[] = [];
      const toRaw: number[] = [];
      const ttydMBps: number[] = [];
      const toTtyd: number[] = [];
      const wettyMBps: number[] = [];
      const toWetty: number[] = [];
      const term = await connectPorthole(server, server.paths[0]!);
      const peer = ttyd instanceof Error ? null : await ttyd.connect();
      open.push(term, ...(peer ? [peer] : []));
      for (const t of open) t.type("stty -echo\r");
      await Bun.sleep(200);
      for (let i = 0; i < RUNS; i++) {
        // paired runs: the machine is shared and its speed drifts, so each ratio compares neighbours
        raw.push(rawPtyMBps(dir));
        ours.push(await throughputMBps(term, COMMAND, MARKER, PAYLOAD_BYTES));
        toRaw.push(ours.at(-1)! / raw.at(-1)!);
        if (peer) {
          ttydMBps.push(await throughputMBps(peer, COMMAND, MARKER, PAYLOAD_BYTES));
          toTtyd.push(ours.at(-1)! / ttydMBps.at(-1)!);
        }
        if (!(wetty instanceof Error)) {
          wettyMBps.push(await wettyThroughput(wetty, COMMAND, MARKER, PAYLOAD_BYTES));
          toWetty.push(ours.at(-1)! / wettyMBps.at(-1)!);
        }
      }
      const typing = peer ? [term, peer] : [term];
      await rawEcho(typing);
      const [one, oneTtyd] = await echoLatencies(typing, KEYS);
      for (const path of server.paths.slice(1)) open.push(await connectPorthole(server, path));
      if (!(ttyd instanceof Error)) for (let i = 1; i < TERMINALS; i++) open.push(await ttyd.connect());
      await Bun.sleep(500); // 2 × 49 shells print their first prompt
      const [fifty, fiftyTtyd] = await echoLatencies(typing, KEYS);

      const metrics: Metric[] = [
        { name: "raw PTY (script -qc) throughput", value: round(median(raw)), unit: "MB/s" },
        { name: "porthole PTY→WebSocket throughput", value: round(median(ours)), unit: "MB/s" },
        {
          name: "porthole / raw PTY (median of paired runs)",
          value: round(median(toRaw), 2),
          unit: "×",
          target: { above: 0.7 },
        },
      ];
      if (peer) {
        metrics.push(
          { name: "ttyd throughput", value: round(median(ttydMBps)), unit: "MB/s" },
          {
            name: "porthole / ttyd (median of paired runs)",
            value: round(median(toTtyd), 2),
            unit: "×",
            target: { above: 1.3 },
          },
        );
      }
      if (wettyMBps.length)
        metrics.push(
          { name: "wetty throughput", value: round(median(wettyMBps)), unit: "MB/s" },
          { name: "porthole / wetty (median of paired runs)", value: round(median(toWetty), 2), unit: "×" },
        );
      metrics.push(
        ...echoMetrics("1 terminal", one!, oneTtyd),
        ...echoMetrics(`${TERMINALS} terminals`, fifty!, fiftyTtyd),
      );
      const spread = (label: string, xs: number[], unit: string) =>
        xs.length ? [`${label}, each run: ${xs.map((x) => round(x, 2)).join(", ")} ${unit}`] : [];
      const notes = [
        ...spread("porthole / raw PTY", toRaw, "×"),
        ...spread("porthole / ttyd", toTtyd, "×"),
        ...spread("porthole / wetty", toWetty, "×"),
        `${PAYLOAD_BYTES / 1e6} MB base64 file (no newlines), ${RUNS} runs each, medians; one Bun WebSocket client per server, porthole's acknowledging as it reads (flow=ack), no compression on either`,
        `echo: ${KEYS} keys (after ${WARMUP_KEYS} warm-up keys), kernel echo in raw mode, 5 ms between keys, porthole and ttyd taking turns key by key; ${TERMINALS} terminals = ${TERMINALS - 1} more idle shells attached on each server`,
        ttyd instanceof Error
          ? `ttyd not measured: ${ttyd.message}`
          : `ttyd: ${ttyd.version}, built by bench/setup/ttyd.sh`,
        wetty instanceof Error
          ? `wetty not measured: ${wetty.message}`
          : `wetty: ${wettyVersion()}, installed by bench/setup/wetty.sh; its own socket.io protocol with commit-based flow control`,
        `load average (1/5/15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(" / ")}, after: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(" / ")} (${navigator.hardwareConcurrency} cores)`,
      ];
      return { metrics, notes };
    } finally {
      for (const t of open) t.close();
      if (!(wetty instanceof Error)) await wetty.stop();
      if (!(ttyd instanceof Error)) await ttyd.stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
