// ttyd (the C peer, built by bench/setup/ttyd.sh) beside porthole in bench/terminal.bench.ts, driven through its protocol.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freeLoopbackPort } from "./lib/free-port.ts";
import type { BenchTerminal } from "./terminal-client.ts";

/** Where bench/setup/ttyd.sh installs the binary (git-ignored); PORTHOLE_TTYD overrides it. */
const TTYD = process.env.PORTHOLE_TTYD ?? join(import.meta.dir, ".build/ttyd/ttyd");

/**
 * ttyd 1.7's WebSocket protocol (src/protocol.c, src/server.h): subprotocol `tty`; the first client message is JSON
 * `{AuthToken, columns, rows}` and spawns the command; then each client message starts with a command byte
 * ('0' input, '1' resize, '2' pause, '3' resume) and each server message too ('0' output, '1' title, '2' prefs).
 */
const INPUT = 0x30;
const OUTPUT = 0x30;

export interface Ttyd {
  version: string;
  connect(): Promise<BenchTerminal>;
  stop(): Promise<void>;
}

/** Starts ttyd on loopback with `bash --norc` in `dir`, basic auth on; throws a clear reason when it is missing. */
export async function startTtyd(dir: string): Promise<Ttyd> {
  if (!existsSync(TTYD)) throw new Error(`not built (run bench/setup/ttyd.sh; looked for ${TTYD})`);
  const version = Bun.spawnSync([TTYD, "--version"]).stdout.toString().trim();
  const port = freeLoopbackPort();
  const credential = `bench:${crypto.randomUUID()}`;
  const basic = Buffer.from(credential).toString("base64");
  const proc = Bun.spawn(
    [TTYD, "-i", "lo", "-p", String(port), "-W", "-c", credential, "-d", "0", "bash", "--norc", "--noprofile", "-i"],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, PS1: "$ " },
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const up = await fetch(url, { headers: { authorization: `Basic ${basic}` } }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (attempt > 40 || proc.exitCode !== null) {
      proc.kill();
      throw new Error(`ttyd did not answer on ${url}`);
    }
    await Bun.sleep(100);
  }
  return {
    version,
    connect: () => connectTtyd(url, basic),
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** One ttyd client on its own shell: the same WebSocket client and matching as the porthole one, ttyd's framing. */
async function connectTtyd(url: string, basic: string): Promise<BenchTerminal> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/ws`, {
    protocols: ["tty"],
    headers: { authorization: `Basic ${basic}` },
    perMessageDeflate: false, // ttyd offers permessage-deflate; porthole never compresses terminal output
  } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  let tail = "";
  let waiter: { pattern: string; resolve: (at: number) => void } | null = null;
  ws.onmessage = ({ data }) => {
    const at = performance.now(); // as the porthole client: before the frame is looked at
    const bytes = typeof data === "string" ? Buffer.from(data) : new Uint8Array(data as ArrayBuffer);
    if (bytes[0] !== OUTPUT) return;
    tail = (tail + Buffer.from(bytes.subarray(-64)).toString("latin1")).slice(-128);
    if (waiter && tail.includes(waiter.pattern)) {
      const w = waiter;
      waiter = null;
      tail = "";
      w.resolve(at);
    }
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.send(JSON.stringify({ AuthToken: basic, columns: 80, rows: 24 }));
  const encoder = new TextEncoder();
  const type = (text: string) => {
    const body = encoder.encode(text);
    const message = new Uint8Array(body.length + 1);
    message[0] = INPUT;
    message.set(body, 1);
    ws.send(message);
  };
  await Bun.sleep(300); // the shell's first prompt
  return {
    until: (pattern) => new Promise<number>((resolve) => (waiter = { pattern, resolve })),
    type,
    close: () => ws.close(),
  };
}
