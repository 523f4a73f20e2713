// Pipeline trigger tokens (`glptt-`): created per project by Maintainers, stored as SHA-256 plus a short prefix.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { TriggerRow } from "../store/rows.ts";
import { constantTimeEqual, hashToken, newToken } from "./secrets.ts";

/** How many leading characters of a trigger token lists show (GitLab shows the first 4 after the prefix). */
const SHOWN_PREFIX = "glptt-".length + 4;

/** Creates a trigger; the plain `token` is returned once. */
export function createTrigger(
  db: Db,
  input: { projectId: number; ownerId: number; description: string },
): { token: string; row: TriggerRow } {
  const token = newToken("glptt");
  const row = repositoriesOf(db).triggers.insert({
    projectId: input.projectId,
    ownerId: input.ownerId,
    description: input.description,
    tokenHash: hashToken(token),
    tokenPrefix: token.slice(0, SHOWN_PREFIX),
  });
  return { token, row };
}

/** The project's trigger with this token, or null. */
export function findTrigger(db: Db, projectId: number, token: string): TriggerRow | null {
  if (token.length === 0 || token.length > 256) return null;
  const hash = hashToken(token);
  const row = repositoriesOf(db).triggers.findByHash(projectId, hash);
  return row && constantTimeEqual(row.tokenHash, hash) ? row : null;
}
