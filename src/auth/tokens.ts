// Personal access tokens: `glpat-` tokens stored as SHA-256, scoped `api` or `read_api`, revocable, expiring by date.
import { invalid, notFound } from "../domain/errors.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { TokenRow, UserRow } from "../store/rows.ts";
import { constantTimeEqual, hashToken, newToken } from "./secrets.ts";

export const TOKEN_SCOPES = ["api", "read_api"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** last_used_at is written at most this often per token, so reads do not turn into writes (GitLab: 10 min). */
const LAST_USED_INTERVAL_MS = 10 * 60 * 1000;

export interface NewToken {
  userId: number;
  name: string;
  scopes: TokenScope[];
  /** `YYYY-MM-DD`; the token stops working at the start of that day (UTC). `null`/absent: no expiry. */
  expiresAt?: string | null;
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whether a token with this expiry date no longer works. */
export function isExpired(expiresAt: string | null, now = new Date()): boolean {
  return expiresAt !== null && expiresAt <= todayUtc(now);
}

/** Creates a token; the plain `token` is returned once and never stored. Throws bad_request on invalid input. */
export function createPersonalAccessToken(db: Db, input: NewToken): { token: string; row: TokenRow } {
  const fields: Record<string, string[]> = {};
  if (input.name.trim().length === 0) fields.name = ["can't be blank"];
  if (input.scopes.length === 0) fields.scopes = ["can't be blank"];
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null) {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(expiresAt) && !Number.isNaN(Date.parse(`${expiresAt}T00:00:00Z`));
    if (!valid) fields.expires_at = ["is invalid"];
    else if (isExpired(expiresAt)) fields.expires_at = ["must be in the future"];
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
  const token = newToken("glpat");
  const row = repositoriesOf(db).tokens.insert({
    userId: input.userId,
    name: input.name.trim(),
    tokenHash: hashToken(token),
    scopes: [...new Set(input.scopes)],
    expiresAt,
  });
  return { token, row };
}

/**
 * The user and token row for a presented token, or null when it is unknown, revoked, expired or its user is
 * blocked. Updates last_used_at at most every LAST_USED_INTERVAL_MS.
 */
export function authenticateToken(db: Db, token: string): { user: UserRow; token: TokenRow } | null {
  if (token.length === 0 || token.length > 256) return null;
  const hash = hashToken(token);
  const found = repositoriesOf(db).tokens.findWithUserByHash(hash);
  if (!found || !constantTimeEqual(found.token.tokenHash, hash)) return null;
  if (found.token.revoked || isExpired(found.token.expiresAt) || found.user.state !== "active") return null;
  const now = new Date();
  const lastUsed = found.token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - lastUsed >= LAST_USED_INTERVAL_MS) {
    repositoriesOf(db).tokens.touchLastUsed(found.token.id, now);
    found.token.lastUsedAt = now;
  }
  return found;
}

/** Whether the token is usable now (not revoked, not expired): GitLab's `active`. */
export function isTokenActive(row: TokenRow): boolean {
  return !row.revoked && !isExpired(row.expiresAt);
}

/** Revokes token `id`; with `ownerId`, only when that user owns it. Throws not_found otherwise. */
export function revokePersonalAccessToken(db: Db, id: number, ownerId?: number): TokenRow {
  const row = repositoriesOf(db).tokens.revoke(id, ownerId);
  if (!row) throw notFound("Personal Access Token");
  return row;
}
