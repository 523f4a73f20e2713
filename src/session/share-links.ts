// Read-only terminal share links: a token `<id>.<expiry>.<signature>` signed (HMAC-SHA256) with the link's own key.
import { createHmac } from "node:crypto";
import type { Actor } from "../auth/actor.ts";
import { audit } from "../auth/audit.ts";
import { constantTimeEqual } from "../auth/secrets.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { TerminalShareLinkRow } from "../store/rows.ts";

/** How long a new link may work, as the job page offers it. */
export const SHARE_LINK_LIFETIMES: Record<string, { seconds: number; label: string }> = {
  "1h": { seconds: 3600, label: "1 hour" },
  "8h": { seconds: 8 * 3600, label: "8 hours" },
  "1d": { seconds: 86_400, label: "1 day" },
  "7d": { seconds: 7 * 86_400, label: "7 days" },
};

/** Why a share token does not open the terminal. */
export type ShareRefusal = "link_invalid" | "link_expired" | "link_revoked";

const TOKEN = /^(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

const signature = (link: Pick<TerminalShareLinkRow, "id" | "jobId" | "signingKey">, expires: number) =>
  createHmac("sha256", Buffer.from(link.signingKey, "base64url"))
    .update(`porthole-terminal-share:${link.id}:${link.jobId}:${expires}`)
    .digest("base64url");

const expirySeconds = (link: TerminalShareLinkRow) => Math.floor(link.expiresAt.getTime() / 1000);

/** The link's token (what its URL carries); the same every time it is asked for. */
export function shareTokenOf(link: TerminalShareLinkRow): string {
  const expires = expirySeconds(link);
  return `${link.id}.${expires}.${signature(link, expires)}`;
}

/** Who makes or revokes a link, and from where (for the audit log). */
export interface ShareLinkActor {
  actor: Actor;
  ip: string | null;
}

/** Makes a link (see createShareLink) and records `terminal_share_link_created` in the audit log. */
export function makeShareLink(
  db: Db,
  job: { id: number; projectId: number },
  seconds: number,
  by: ShareLinkActor,
): { link: TerminalShareLinkRow; token: string } {
  const made = createShareLink(db, { jobId: job.id, projectId: job.projectId, createdBy: by.actor.user.id, seconds });
  audit(db, {
    action: "terminal_share_link_created",
    actor: by.actor,
    projectId: job.projectId,
    targetType: "Job",
    targetId: job.id,
    details: { link: made.link.id, expires_at: made.link.expiresAt.toISOString() },
    ip: by.ip,
  });
  return made;
}

/** Revokes the link (its watchers are closed) and records `terminal_share_link_revoked`; false if it already was. */
export function revokeShareLink(db: Db, link: TerminalShareLinkRow, by: ShareLinkActor): boolean {
  if (!repositoriesOf(db).terminalShareLinks.revoke(link.id, new Date())) return false;
  audit(db, {
    action: "terminal_share_link_revoked",
    actor: by.actor,
    projectId: link.projectId,
    targetType: "Job",
    targetId: link.jobId,
    details: { link: link.id },
    ip: by.ip,
  });
  return true;
}

/** Makes a link to the job's terminal that works for `seconds` from `now`. */
export function createShareLink(
  db: Db,
  values: { jobId: number; projectId: number; createdBy: number; seconds: number },
  now = new Date(),
): { link: TerminalShareLinkRow; token: string } {
  const expiresAt = new Date(Math.floor(now.getTime() / 1000 + values.seconds) * 1000);
  const signingKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const link = repositoriesOf(db).terminalShareLinks.create({ ...values, signingKey, expiresAt });
  return { link, token: shareTokenOf(link) };
}

/**
 * The link a token stands for, if it is one of `jobId`'s, its signature and expiry check out, and it is neither
 * expired nor revoked at `now`; else why not. A token whose id, expiry or signature was changed is `link_invalid`.
 */
export function checkShareToken(
  db: Db,
  token: string,
  jobId: number,
  now = new Date(),
): { link: TerminalShareLinkRow } | { refusal: ShareRefusal } {
  const m = TOKEN.exec(token);
  const link = m ? repositoriesOf(db).terminalShareLinks.find(Number(m[1])) : null;
  if (!m || !link || link.jobId !== jobId) return { refusal: "link_invalid" };
  const expires = Number(m[2]);
  if (expires !== expirySeconds(link) || !constantTimeEqual(m[3]!, signature(link, expires)))
    return { refusal: "link_invalid" };
  if (link.revokedAt) return { refusal: "link_revoked" };
  if (link.expiresAt <= now) return { refusal: "link_expired" };
  return { link };
}
