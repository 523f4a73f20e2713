// Opens the SQLite database (bun:sqlite + drizzle) with the pragmas porthole relies on, and migrates it.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { migrate } from "./migrate.ts";
import { type Repositories, repositoriesOf } from "./repositories.ts";
import * as schema from "./schema.ts";

export type Db = BunSQLiteDatabase<typeof schema>;
/** The database or a transaction on it: what repositories run their queries on. */
export type DbHandle = BaseSQLiteDatabase<"sync", void, typeof schema>;

export interface Store {
  db: Db;
  sqlite: Database;
  /** The repositories over `db`. */
  repos: Repositories;
  close(): void;
}

/** The bun:sqlite connection under `db`, or under the transaction `db` is: a statement on it joins that transaction. */
export function sqliteOf(db: DbHandle): Database {
  return (db as unknown as { session: { client: Database } }).session.client;
}

/** Opens (creating if needed) the database at `path` (`:memory:` works) and applies pending migrations. */
export function openStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  // First: every statement after it, switching to WAL included, waits for another process's lock (one closing its
  // connection holds the file while it checkpoints) instead of failing with "database is locked".
  sqlite.run("PRAGMA busy_timeout = 5000");
  sqlite.run("PRAGMA journal_mode = WAL");
  sqlite.run("PRAGMA synchronous = NORMAL");
  sqlite.run("PRAGMA foreign_keys = ON");
  migrate(sqlite);
  const db = drizzle(sqlite, { schema });
  return { db, sqlite, repos: repositoriesOf(db), close: () => sqlite.close() };
}
