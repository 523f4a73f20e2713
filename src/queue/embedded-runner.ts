// The embedded runner's row in the runners table (created once, found again on later starts).
import { and, eq } from "drizzle-orm";
import { hashToken, newToken } from "../auth/secrets.ts";
import type { RunnerInfo } from "../domain/coordinator.ts";
import type { Db } from "../store/db.ts";
import { runners } from "../store/schema.ts";

export function ensureEmbeddedRunner(db: Db, name: string): RunnerInfo {
  const found = db
    .select()
    .from(runners)
    .where(and(eq(runners.embedded, true), eq(runners.description, name)))
    .get();
  const row =
    found ??
    db
      .insert(runners)
      .values({ description: name, tokenHash: hashToken(newToken("glrt")), embedded: true, tags: [] })
      .returning()
      .get();
  return { id: row.id, name: row.description, tags: row.tags, runUntagged: row.runUntagged };
}
