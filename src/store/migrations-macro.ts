// Bundle-time macro: reads migrations/ (drizzle-kit's SQL and journal) so the compiled binary carries them.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface EmbeddedMigration {
  tag: string;
  statements: string[];
}

export function loadMigrations(): EmbeddedMigration[] {
  const dir = join(import.meta.dir, "../../migrations");
  const journal = JSON.parse(readFileSync(join(dir, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map(({ tag }) => ({
    tag,
    statements: readFileSync(join(dir, `${tag}.sql`), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  }));
}
