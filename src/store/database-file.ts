// What the server reads about the database's file system: the file's size, whether it answers, the free space.
import { statfsSync, statSync } from "node:fs";
import type { Store } from "./db.ts";

/** The database's bytes on disk: the main file and its write-ahead log. */
export function databaseBytes(store: Store): number {
  const file = store.sqlite.filename;
  if (!file || file === ":memory:") return 0;
  let total = 0;
  for (const path of [file, `${file}-wal`]) {
    try {
      total += statSync(path).size;
    } catch {
      // no WAL file yet
    }
  }
  return total;
}

/** Whether the database answers a trivial query (the readiness check). */
export function databaseAnswers(store: Store): boolean {
  store.sqlite.query("SELECT 1").get();
  return true;
}

/** Bytes an unprivileged process may still write on the file system holding `dir`. */
export function freeBytesUnder(dir: string): number {
  const fs = statfsSync(dir);
  return Number(fs.bavail) * Number(fs.bsize);
}
