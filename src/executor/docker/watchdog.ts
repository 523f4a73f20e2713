// The Docker executor's watchdog: a child process that removes this server's containers once the server is gone.
//
// The lease is a pipe: the server holds its write end, the kernel closes it when the server exits in any way
// (kill -9 included). The watchdog waits for end-of-file on its stdin, then removes every container and network
// with this runner's labels (as the next start's sweep() would) and exits. It ignores SIGINT, SIGTERM and SIGHUP, so
// a Ctrl-C or a service manager's stop reaches the server, which stops cleanly, and the watchdog outlives it long
// enough to remove what is left.
import { join } from "node:path";
import { lazyEngine } from "./engine.ts";
import { removeLabelled } from "./resources.ts";
import { engineAddress } from "./settings.ts";
import { WATCHDOG_COMMAND } from "./watchdog-command.ts";

export interface WatchdogOrders {
  /** `[docker] host` ("" for DOCKER_HOST or the local socket). */
  host: string;
  /** Containers and networks carrying all of these are removed… */
  labels: Record<string, string>;
  /** …unless they carry one of these keys. */
  without: string[];
}

export interface Watchdog {
  /** The watchdog's process id. */
  pid: number;
  /** The server stops cleanly: the watchdog removes what is left now, and exits. */
  release(): Promise<void>;
}

/**
 * This program's command line: the binary itself when compiled (its entry point lives in Bun's embedded
 * `/$bunfs/`), else `bun src/main.ts` (also under `bun test`, where Bun.main is the test file).
 */
function selfArgv(): string[] {
  if (Bun.main.startsWith("/$bunfs/")) return [process.execPath];
  return [process.execPath, join(import.meta.dir, "../../main.ts")];
}

/** Starts the watchdog for `orders`; it lives until the returned release() or the server's end. */
export function armWatchdog(orders: WatchdogOrders): Watchdog {
  const child = Bun.spawn([...selfArgv(), WATCHDOG_COMMAND, JSON.stringify(orders)], {
    stdin: "pipe",
    stdout: "ignore",
    stderr: "inherit",
  });
  child.unref();
  return {
    pid: child.pid,
    async release() {
      await child.stdin.end();
      await child.exited;
    },
  };
}

/** The watchdog's side: waits for the server to go, then removes its leftovers. Returns the exit code. */
export async function runWatchdog(args: string[]): Promise<number> {
  const orders = JSON.parse(args[0] ?? "") as WatchdogOrders;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => {});
  for await (const _ of Bun.stdin.stream()) {
    // The server writes nothing; the loop ends when its end of the pipe closes.
  }
  const engine = lazyEngine(engineAddress(orders.host));
  const removed = await removeLabelled(await engine(), orders.labels, orders.without);
  for (const item of removed) console.error(`porthole docker-watchdog: removed ${item} (the server is gone)`);
  return 0;
}
