// Keeps job logs out of the last free space next to the database: what a full disk must still be able to store.
import { dirname } from "node:path";
import { freeBytesUnder } from "../store/database-file.ts";

/**
 * Logs stop growing when less than this is free next to the database: the rest is kept for the writes that must
 * still succeed on a full disk (a job's closing line and status, users signing in). 8 MB: two SQLite WAL
 * checkpoints' worth.
 */
export const LOG_HEADROOM_BYTES = 8 * 1024 * 1024;

/** A closing line after a loss is at most this long (it goes into the headroom). */
export const CLOSING_LINE_BYTES = 4096;

/**
 * A check run before each commit of log bytes to the database at `path`: an ENOSPC error when less than
 * LOG_HEADROOM_BYTES is free next to it, else null (also when the free space is unknown: in memory, no path).
 */
export function headroomCheck(path: string | undefined): () => Error | null {
  const folder = path && path !== ":memory:" ? dirname(path) : null;
  const freeSpace = () => {
    if (!folder) return null;
    try {
      return freeBytesUnder(folder);
    } catch {
      return null;
    }
  };
  return () => {
    const free = freeSpace();
    if (free === null || free >= LOG_HEADROOM_BYTES) return null;
    const mb = (n: number) => `${Math.floor(n / (1024 * 1024))} MB`;
    return Object.assign(new Error(`only ${mb(free)} free, below the ${mb(LOG_HEADROOM_BYTES)} kept`), {
      code: "ENOSPC",
    });
  };
}
