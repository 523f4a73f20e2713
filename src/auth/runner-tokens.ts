// Runners and their `glrt-` authentication tokens (shown once, stored as SHA-256).
import { invalid } from "../domain/errors.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { RunnerRow } from "../store/rows.ts";
import { constantTimeEqual, hashToken, newToken } from "./secrets.ts";

export interface NewRunner {
  description: string;
  tags?: string[];
  runUntagged?: boolean;
  paused?: boolean;
  /** The runner inside the server process (one per server). */
  embedded?: boolean;
}

/** Creates an instance runner; the plain `token` is returned once. Throws bad_request for bad tags or description. */
export function createRunner(db: Db, input: NewRunner): { token: string; row: RunnerRow } {
  const tags = [...new Set((input.tags ?? []).map((t) => t.trim()).filter((t) => t.length > 0))];
  const fields: Record<string, string[]> = {};
  if (input.description.length > 1024) fields.description = ["is too long (maximum is 1024 characters)"];
  if (tags.some((t) => t.length > 255 || t.includes(","))) fields.tag_list = ["contains an invalid tag"];
  if (tags.length === 0 && input.runUntagged === false) {
    fields.tags_list = ["can not be empty when runner is not allowed to pick untagged jobs"];
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
  const token = newToken("glrt");
  const row = repositoriesOf(db).runners.insert({
    description: input.description,
    tokenHash: hashToken(token),
    tags,
    runUntagged: input.runUntagged ?? true,
    paused: input.paused ?? false,
    embedded: input.embedded ?? false,
  });
  return { token, row };
}

/** The runner a `glrt-` token belongs to, or null. Does not look at `paused`: a paused runner may still report. */
export function authenticateRunner(db: Db, token: string): RunnerRow | null {
  if (token.length === 0 || token.length > 256) return null;
  const hash = hashToken(token);
  const row = repositoriesOf(db).runners.findByTokenHash(hash);
  return row && constantTimeEqual(row.tokenHash, hash) ? row : null;
}
