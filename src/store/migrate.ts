// Applies the embedded drizzle-kit migrations in order, each in one transaction, recording what ran.
import type { Database } from "bun:sqlite";
import { loadMigrations } from "./migrations-macro.ts" with { type: "macro" };

const MIGRATIONS = loadMigrations();

/** Applies pending migrations; returns the tags it applied. */
export function migrate(sqlite: Database): string[] {
  sqlite.run(`CREATE TABLE IF NOT EXISTS porthole_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`);
  const done = new Set(
    sqlite
      .query<{ tag: string }, []>("SELECT tag FROM porthole_migrations")
      .all()
      .map((r) => r.tag),
  );
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.tag)) continue;
    sqlite.transaction(() => {
      for (const statement of m.statements) sqlite.run(statement);
      sqlite.run("INSERT INTO porthole_migrations (tag, applied_at) VALUES (?, ?)", [m.tag, Date.now()]);
    })();
    applied.push(m.tag);
  }
  return applied;
}
