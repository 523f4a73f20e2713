// wetty (npm, Node + node-pty + socket.io) as the peer in bench/terminal.bench.ts, driven through its own protocol.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freeLoopbackPort } from "./lib/free-port.ts";
import { settleClient } from "./terminal-client.ts";

/** wetty brings a native node-pty build: bench/setup/wetty.sh installs it there (git-ignored); the variable overrides it. */
const WETTY_DIR = process.env.PORTHOLE_WETTY_DIR ?? join(import.meta.dir, ".build/wetty");

interface SocketLike {
  on(event: string, listener: (...args: never[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
  disconnect(): void;
}

export interface Wetty {
  socket: SocketLike;
  onData(listener: (text: string) => void): void;
  stop(): Promise<void>;
}

/** The installed wetty's version, from its package.json. */
export function wettyVersion(): string {
  const pkg = JSON.parse(readFileSync(join(WETTY_DIR, "node_modules/wetty/package.json"), "utf8")) as {
    version: string;
  };
  return `wetty ${pkg.version}`;
}

/** Starts wetty on loopback with `bash --norc` in `dir` and connects one client; throws when wetty is missing. */
export async function startWetty(dir: string): Promise<Wetty> {
  const main = join(WETTY_DIR, "node_modules/wetty/build/main.js");
  if (!existsSync(main)) throw new Error(`not installed (run bench/setup/wetty.sh; looked in ${WETTY_DIR})`);
  const port = freeLoopbackPort();
  const proc = Bun.spawn(["node", main, "--host", "127.0.0.1", "-p", String(port), "--command", "bash --norc"], {
    cwd: dir,
    stdout: "ignore",
    stderr: "ignore",
  });
  const { io } = (await import(join(WETTY_DIR, "node_modules/socket.io-client/build/esm/index.js"))) as {
    io(url: string, opts: Record<string, unknown>): SocketLike;
  };
  let listener: (text: string) => void = () => {};
  for (let attempt = 0; ; attempt++) {
    const socket = io(`http://127.0.0.1:${port}`, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: false,
    });
    const ok = await new Promise<boolean>((resolve) => {
      socket.on("login", () => resolve(true));
      socket.on("connect_error", () => resolve(false));
      setTimeout(() => resolve(false), 2000);
    });
    if (ok) {
      socket.on("data", (text: string) => {
        listener(text);
        socket.emit("commit", text.length); // wetty pauses its PTY until the client commits what it rendered
      });
      socket.emit("input", "stty -echo\n");
      await Bun.sleep(300);
      return {
        socket,
        onData: (l) => (listener = l),
        stop: async () => {
          socket.disconnect();
          proc.kill();
          await proc.exited;
        },
      };
    }
    socket.disconnect();
    if (attempt > 20) {
      proc.kill();
      throw new Error("wetty did not accept a connection");
    }
    await Bun.sleep(250);
  }
}

/** MB/s for `command` until `marker` shows up, through wetty. */
export async function wettyThroughput(wetty: Wetty, command: string, marker: string, bytes: number): Promise<number> {
  settleClient();
  let tail = "";
  const done = new Promise<void>((resolve) =>
    wetty.onData((text) => {
      tail = (tail + text.slice(-64)).slice(-128);
      if (tail.includes(marker)) resolve();
    }),
  );
  const started = performance.now();
  wetty.socket.emit("input", `${command}\n`);
  await done;
  return bytes / 1e3 / (performance.now() - started);
}
