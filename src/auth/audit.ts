// Records security-relevant events (tokens, users, members, variables, runners, triggers) in audit_events.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { Actor } from "./actor.ts";

export interface AuditEntry {
  /** e.g. `token_created`, `token_revoked`, `user_blocked`, `member_added`, `variable_changed`, `runner_created`. */
  action: string;
  /** Who did it (an Actor, or just the user where no request credential is at hand). */
  actor: Pick<Actor, "user"> | { user: { id: number; username: string } } | null;
  projectId?: number | null;
  targetType?: string;
  targetId?: string | number;
  /** Never secrets: names, levels, keys; not token or variable values. */
  details?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends one audit event. A failed write throws: the caller's request ends as a logged error instead of going on
 * as if the event had been recorded.
 */
export function audit(db: Db, entry: AuditEntry): void {
  repositoriesOf(db).auditEvents.append({
    action: entry.action,
    actorId: entry.actor?.user.id ?? null,
    actorName: entry.actor?.user.username ?? null,
    projectId: entry.projectId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    details: entry.details ?? null,
    ip: entry.ip ?? null,
  });
}

/** The audit event of a CI/CD variable added, changed or removed (API and settings page alike); never its value. */
export function auditVariableChange(
  db: Db,
  change: { actor: AuditEntry["actor"]; projectId: number; key: string; change: string; ip: string | null },
): void {
  audit(db, {
    action: "variable_changed",
    actor: change.actor,
    projectId: change.projectId,
    targetType: "Variable",
    targetId: change.key,
    details: { change: change.change },
    ip: change.ip,
  });
}
