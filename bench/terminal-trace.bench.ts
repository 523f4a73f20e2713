// Where one keystroke echo's time goes: the PTY and its main-thread reader alone, then through TerminalSession
// without and with a recording, and the per-chunk cost of each stage on the path (mirror, recorder, flow gate).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pty } from "../src/domain/pty.ts";
import { spawnPty } from "../src/pty/spawn-pty.ts";
import { FlowGate } from "../src/session/flow-gate.ts";
import { DEFAULT_FLOW } from "../src/session/flow-limits.ts";
import { startRecording } from "../src/session/recorder.ts";
import { ScreenMirror } from "../src/session/screen-mirror.ts";
import { TerminalSession } from "../src/session/terminal-session.ts";
import type { TerminalClient } from "../src/session/types.ts";
import { percentile, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";

const KEYS = 400;
const WARMUP = 50;
const CALLS = 20_000;
const SIZE = { cols: 80, rows: 24 };

/** A shell-less PTY in raw mode: the tty echoes every key itself, `cat` swallows it. */
async function echoPty(dir: string): Promise<Pty> {
  const pty = spawnPty(["sh", "-c", "stty raw; exec cat > /dev/null"], {
    cwd: dir,
    env: { PATH: "/usr/bin:/bin" },
    ...SIZE,
  });
  await Bun.sleep(300);
  return pty;
}

/** Echo times (ms): `type` sends a key, `arrived` is set as the consumer gets bytes. */
async function echoes(type: (key: string) => void, onBytes: (listener: () => void) => void): Promise<number[]> {
  let waiting: (() => void) | null = null;
  onBytes(() => {
    const w = waiting;
    waiting = null;
    w?.();
  });
  const samples: number[] = [];
  for (let i = -WARMUP; i < KEYS; i++) {
    const echoed = new Promise<void>((resolve) => (waiting = resolve));
    const sent = performance.now();
    type(String.fromCharCode(97 + ((i + 1000) % 26)));
    await echoed;
    if (i >= 0) samples.push(performance.now() - sent);
    await Bun.sleep(2);
  }
  return samples;
}

function client(onOutput: () => void): TerminalClient {
  return {
    mode: "rw",
    sendOutput: onOutput,
    sendControl() {},
    backlog: () => 0,
    close() {},
  };
}

/** Microseconds per call of `fn`, over CALLS calls. */
function perCall(fn: () => void): number {
  for (let i = 0; i < 1000; i++) fn();
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) fn();
  return round(((performance.now() - started) * 1000) / CALLS, 2);
}

const stats = (label: string, samples: number[]): Metric[] => [
  { name: `${label}: echo p50`, value: round(percentile(samples, 50), 3), unit: "ms" },
  { name: `${label}: echo p99`, value: round(percentile(samples, 99), 3), unit: "ms" },
];

const bench: Bench = {
  name: "terminal-trace",
  description: "One keystroke echo, stage by stage: PTY and its reader, TerminalSession, its recording",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "porthole-trace-"));
    const metrics: Metric[] = [];
    try {
      const bare = await echoPty(dir);
      const listeners: (() => void)[] = [];
      bare.onData(() => {
        for (const l of listeners) l();
      });
      metrics.push(
        ...stats(
          "PTY + main-thread reader (echo read on the spot)",
          await echoes(
            (k) => bare.write(k),
            (l) => listeners.push(l),
          ),
        ),
      );
      await bare.close();

      for (const recorded of [false, true]) {
        const pty = await echoPty(dir);
        const recording = recorded
          ? {
              path: "trace.cast",
              recorder: await startRecording({
                path: join(dir, `trace-${Date.now()}.cast`),
                size: SIZE,
                maxBytes: 1 << 30,
                secrets: ["s3cret"],
              }),
            }
          : null;
        const session = new TerminalSession(1, pty, SIZE, DEFAULT_FLOW, recording, ["s3cret"]);
        const outputs: (() => void)[] = [];
        const writer = client(() => {
          for (const l of outputs) l();
        });
        await session.attach(writer);
        const label = recorded ? "TerminalSession with mirror, gate, recording" : "TerminalSession with mirror, gate";
        metrics.push(
          ...stats(
            label,
            await echoes(
              (k) => session.input(writer, new TextEncoder().encode(k)),
              (l) => outputs.push(l),
            ),
          ),
        );
        await session.end("shell_exited");
      }

      const key = new Uint8Array([97]);
      const mirror = new ScreenMirror(SIZE.cols, SIZE.rows, {}, ["s3cret"]);
      metrics.push({ name: "mirror.push, 1-byte chunk", value: perCall(() => mirror.push(key)), unit: "µs" });
      mirror.dispose();
      const recorder = await startRecording({
        path: join(dir, "calls.cast"),
        size: SIZE,
        maxBytes: 1 << 30,
        secrets: ["s3cret"],
      });
      metrics.push({ name: "recorder.output, 1-byte chunk", value: perCall(() => recorder.output(key)), unit: "µs" });
      await recorder.close();
      const members = Array.from({ length: 50 }, () => ({ backlog: () => 0 }));
      const idle = {
        write() {},
        resize() {},
        onData() {},
        onExit() {},
        pause() {},
        resume() {},
        canPause: true,
        close: async () => {},
      };
      const gate = new FlowGate(
        idle,
        DEFAULT_FLOW,
        () => members,
        () => {},
      );
      metrics.push({ name: "flowGate.check, 50 clients", value: perCall(() => gate.check()), unit: "µs" });
      gate.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return {
      metrics,
      notes: [
        `${KEYS} keys each (${WARMUP} warm-up keys not counted), 2 ms apart; kernel echo in raw mode, no WebSocket`,
        `per-call costs: ${CALLS} calls in a loop, in this process`,
      ],
    };
  },
};

export default bench;
