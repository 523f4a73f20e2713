// Finds and kills processes by an environment entry they inherited, also those that left their process group.
import { readdir, readFile } from "node:fs/promises";

/** The variable every process of a shell-executor job inherits; its value names the executor and the step. */
export const PROCESS_TAG = "PORTHOLE_PROCESS_TAG";

export interface TaggedProcess {
  pid: number;
  /** The whole matching entry, `KEY=value`. */
  entry: string;
}

/**
 * This user's processes whose starting environment has an entry beginning with `entryPrefix` (`KEY=value…`).
 * Linux only (reads /proc); elsewhere, or for processes of other users, finds nothing. A process that cleared
 * its environment (`env -i`) is not found: this is a net for leftovers, not a jail.
 */
export async function processesWithEnv(entryPrefix: string): Promise<TaggedProcess[]> {
  const names = await readdir("/proc").catch(() => [] as string[]);
  const needle = Buffer.from(entryPrefix);
  const found = await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .map(async (name) => {
        const environ = await readFile(`/proc/${name}/environ`).catch(() => null);
        const entry = environ && entryAt(environ, needle);
        return entry ? { pid: Number(name), entry } : null;
      }),
  );
  return found.filter((p): p is TaggedProcess => p !== null);
}

function entryAt(environ: Buffer, needle: Buffer): string | null {
  for (let at = environ.indexOf(needle); at >= 0; at = environ.indexOf(needle, at + 1)) {
    if (at === 0 || environ[at - 1] === 0) {
      const end = environ.indexOf(0, at);
      return environ.subarray(at, end < 0 ? environ.length : end).toString();
    }
  }
  return null;
}

/** SIGKILLs every process found by `processesWithEnv(entryPrefix)`; returns their pids. */
export async function killProcessesWithEnv(entryPrefix: string): Promise<TaggedProcess[]> {
  const found = await processesWithEnv(entryPrefix);
  for (const p of found) signalProcess(p.pid, "SIGKILL");
  return found;
}

/** Sends `signal` to a process (or a whole group with a negative id); a process already gone is fine. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: it is gone already.
  }
}
