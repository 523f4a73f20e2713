// The embedded runner's row in the runners table (created once, found again on later starts).
import { hashToken, newToken } from "../auth/secrets.ts";
import type { RunnerInfo } from "../domain/coordinator.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";

export function ensureEmbeddedRunner(db: Db, name: string): RunnerInfo {
  const repo = repositoriesOf(db).runners;
  const row =
    repo.findEmbedded(name) ??
    repo.insert({ description: name, tokenHash: hashToken(newToken("glrt")), embedded: true, tags: [] });
  return { id: row.id, name: row.description, tags: row.tags, runUntagged: row.runUntagged };
}
