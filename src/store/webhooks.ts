// Webhook secrets (one per project) and the delivery ids already seen.
import { randomBytes } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import type { WebhookSecretRow } from "./rows.ts";
import { webhookDeliveries, webhookSecrets } from "./schema.ts";

/** Forges retry a delivery for hours at most; ids older than this are forgotten. */
const DELIVERY_MEMORY_MS = 30 * 24 * 3600_000;

export function createWebhooksRepository({ db }: { db: DbHandle }) {
  return {
    /** Makes (or replaces) the project's secret: 32 random bytes, hex; returned once. */
    rotateSecret(projectId: number, ownerId: number): WebhookSecretRow {
      const secret = randomBytes(32).toString("hex");
      return db
        .insert(webhookSecrets)
        .values({ projectId, secret, ownerId })
        .onConflictDoUpdate({ target: webhookSecrets.projectId, set: { secret, ownerId, createdAt: new Date() } })
        .returning()
        .get();
    },

    findSecret: (projectId: number): WebhookSecretRow | null =>
      db.select().from(webhookSecrets).where(eq(webhookSecrets.projectId, projectId)).get() ?? null,

    /** Removes the project's secret; false when it had none. */
    deleteSecret: (projectId: number): boolean =>
      db.delete(webhookSecrets).where(eq(webhookSecrets.projectId, projectId)).returning().all().length > 0,

    /** Records a delivery id; false when it was seen before (a replay). Forgets the project's ids past a month. */
    recordDelivery(projectId: number, deliveryId: string): boolean {
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
    },
  };
}
