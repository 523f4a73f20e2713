// JSON for credentials and their holders: PersonalAccessToken, Trigger and Ci::Runner (secrets only when just made).
import { isTokenActive } from "../../auth/tokens.ts";
import type { RunnerRow, TokenRow, TriggerRow } from "../../store/rows.ts";
import type { Lookups } from "./lookups.ts";
import { iso } from "./time.ts";
import { userBasic } from "./user.ts";

/** GitLab counts a runner online when it made contact within the last two hours. */
const ONLINE_WINDOW_MS = 2 * 60 * 60 * 1000;

/** GitLab's PersonalAccessToken entity; `token` only in the answer that created it. */
export function personalAccessToken(row: TokenRow, token?: string) {
  return {
    id: row.id,
    name: row.name,
    revoked: row.revoked,
    created_at: iso(row.createdAt),
    scopes: row.scopes,
    user_id: row.userId,
    last_used_at: iso(row.lastUsedAt),
    active: isTokenActive(row),
    expires_at: row.expiresAt,
    ...(token === undefined ? {} : { token }),
  };
}

/** GitLab's Trigger entity. Lists show only the token's first characters; the creation answer shows it whole. */
export function triggerEntity(row: TriggerRow, look: Lookups, token?: string) {
  const owner = look.user(row.ownerId);
  return {
    id: row.id,
    token: token ?? row.tokenPrefix,
    description: row.description,
    created_at: iso(row.createdAt),
    updated_at: iso(row.createdAt),
    last_used: null,
    expires_at: null,
    owner: owner ? userBasic(owner, look.baseUrl) : null,
  };
}

/** GitLab's Ci::Runner entity. */
export function runnerEntity(row: RunnerRow, now = Date.now()) {
  const contacted = row.contactedAt?.getTime();
  const online = contacted !== undefined && now - contacted < ONLINE_WINDOW_MS;
  const status = row.paused ? "paused" : contacted === undefined ? "never_contacted" : online ? "online" : "offline";
  return {
    id: row.id,
    description: row.description,
    ip_address: row.ipAddress,
    active: !row.paused,
    paused: row.paused,
    is_shared: row.runnerType === "instance_type",
    runner_type: row.runnerType,
    name: row.embedded ? "porthole-embedded" : "porthole-runner",
    online,
    created_at: iso(row.createdAt),
    status,
  };
}
