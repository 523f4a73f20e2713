// Free space under data_dir: for the readiness check, the metrics and the admin page's warning.
import { freeBytesUnder } from "../../store/database-file.ts";

/** Bytes an unprivileged process may still write on the file system holding `dir`. */
export const freeBytes = freeBytesUnder;

/** A warning for operators when less than `threshold` bytes are free under `dir`, else null. */
export function lowDiskWarning(dir: string, threshold: number): string | null {
  const free = freeBytes(dir);
  if (free >= threshold) return null;
  const mb = (n: number) => `${Math.floor(n / (1024 * 1024))} MB`;
  return `Only ${mb(free)} are free under ${dir} (warning below ${mb(threshold)}): jobs fail once the disk is full.`;
}
