// Learns which /dev/pts/N a freshly made Bun.Terminal uses, since Bun does not say (needed for flow control).
import { readdirSync, readlinkSync } from "node:fs";

function ptsFds(): Map<string, string> {
  const found = new Map<string, string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith("/dev/pts/")) found.set(fd, target);
    } catch {
      // Closed meanwhile (the listing's own fd, for one).
    }
  }
  return found;
}

/**
 * Runs `make` (which must synchronously create exactly one terminal) and returns what it made together with the
 * path of the terminal's slave side, found as the /dev/pts entry among the fds that appeared during the call.
 * `slavePath` is null when it could not be told (not Linux, or no single new /dev/pts fd).
 */
export function withSlavePath<T>(make: () => T): { made: T; slavePath: string | null } {
  if (process.platform !== "linux") return { made: make(), slavePath: null };
  const before = ptsFds();
  const made = make();
  const appeared = [...ptsFds()].filter(([fd, target]) => before.get(fd) !== target).map(([, target]) => target);
  return { made, slavePath: appeared.length === 1 ? appeared[0]! : null };
}
