// The machine's load while a bench ran, for its notes: on a shared machine the figures mean little without it.
import { loadavg } from "node:os";

/** Starts watching; `note()` says the 1-minute load average at the start and now. */
export function watchLoad(): { note(): string } {
  const start = loadavg()[0]!.toFixed(2);
  return {
    note: () => `machine load (1-minute average): ${start} at the start, ${loadavg()[0]!.toFixed(2)} at the end`,
  };
}
