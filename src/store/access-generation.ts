// The access generation: a counter the database bumps (triggers, migration 0002) whenever access may have shrunk.
import { eq } from "drizzle-orm";
import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./db.ts";

/** One row, id 1. Written only by the migration's triggers, so it stays out of schema.ts (drizzle-kit's input). */
const accessGenerationRow = sqliteTable("access_generation", {
  id: integer("id").primaryKey(),
  n: integer("n").notNull(),
});

/**
 * Prepared once per database: open terminals read the generation five times a second, and building the query each
 * time took longer than running it (and, on the event loop, sometimes sat in front of a keystroke's echo).
 */
const prepared = new WeakMap<Db, { get(): { n: number } | undefined }>();

/**
 * The current generation. It changes after any commit that revokes or re-dates a credential, blocks, demotes or
 * deletes a user, changes or removes a membership, or changes a project's visibility, whichever process made it.
 */
export function accessGeneration(db: Db): number {
  let read = prepared.get(db);
  if (!read) {
    read = db
      .select({ n: accessGenerationRow.n })
      .from(accessGenerationRow)
      .where(eq(accessGenerationRow.id, 1))
      .prepare();
    prepared.set(db, read);
  }
  return read.get()?.n ?? 0;
}
