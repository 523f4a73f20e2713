// The counts and sizes operators read from the database: jobs by status, pipelines made, the database's size.
import { statSync } from "node:fs";
import { count } from "drizzle-orm";
import type { Store } from "./db.ts";
import { jobs } from "./schema.ts";

/** How many jobs are in each status. */
export function jobCountsByStatus(store: Store): { status: string; n: number }[] {
  return store.db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status).all();
}

/** Pipelines ever created, deleted ones included: the AUTOINCREMENT counter of their ids. */
export function pipelinesCreated(store: Store): number {
  const row = store.sqlite.query("SELECT seq FROM sqlite_sequence WHERE name = 'pipelines'").get() as {
    seq: number;
  } | null;
  return row?.seq ?? 0;
}

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
