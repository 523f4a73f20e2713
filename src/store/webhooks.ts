// Webhook secrets (one per project) and the delivery ids already seen.
import { randomBytes } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "./db.ts";
import type { WebhookSecretRow } from "./rows.ts";
import { webhookDeliveries, webhookSecrets } from "./schema.ts";

/** Makes (or replaces) the project's secret: 32 random bytes, hex; returned once. */
export function rotateWebhookSecret(db: Db, projectId: number, ownerId: number): WebhookSecretRow {
  const secret = randomBytes(32).toString("hex");
  return db
    .insert(webhookSecrets)
    .values({ projectId, secret, ownerId })
    .onConflictDoUpdate({ target: webhookSecrets.projectId, set: { secret, ownerId, createdAt: new Date() } })
    .returning()
    .get();
}

export function findWebhookSecret(db: Db, projectId: number): WebhookSecretRow | null {
  return db.select().from(webhookSecrets).where(eq(webhookSecrets.projectId, projectId)).get() ?? null;
}

export function deleteWebhookSecret(db: Db, projectId: number): boolean {
  return db.delete(webhookSecrets).where(eq(webhookSecrets.projectId, projectId)).returning().all().length > 0;
}

/** Forges retry a delivery for hours at most; ids older than this are forgotten. */
const DELIVERY_MEMORY_MS = 30 * 24 * 3600_000;

/** Records a delivery id; false when it was seen before (a replay). Forgets the project's ids past a month. */
export function recordDelivery(db: Db, projectId: number, deliveryId: string): boolean {
  const cutoff = new Date(Date.now() - DELIVERY_MEMORY_MS);
  db.delete(webhookDeliveries)
    .where(and(eq(webhookDeliveries.projectId, projectId), lt(webhookDeliveries.createdAt, cutoff)))
    .run();
  const row = db
    .insert(webhookDeliveries)
    .values({ projectId, deliveryId })
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.deliveryId })
    .get();
  return row !== undefined;
}
