// Forge webhooks: `POST /projects/:id/hooks/push` takes GitHub, Gitea, Forgejo and GitLab push and tag events
// (signed with the project's secret) and answers 202 before fetching; Maintainers make or remove the secret.
import { Hono } from "hono";
import { findProject } from "../../auth/access.ts";
import type { Actor } from "../../auth/actor.ts";
import { audit } from "../../auth/audit.ts";
import { accessLevel, can } from "../../auth/permissions.ts";
import { findUserById } from "../../auth/users.ts";
import { externalUrl } from "../../config/schema.ts";
import { forbidden, notFound } from "../../domain/errors.ts";
import type { Db } from "../../store/db.ts";
import type { ProjectRow, UserRow } from "../../store/rows.ts";
import { type ApiEnv, clientIp } from "../env.ts";
import { DeliveryError, readDelivery } from "../webhooks/forge-payload.ts";
import { loadProject, requireActor } from "./guard.ts";

/** The URL a forge posts to. */
export function webhookUrl(base: string, projectId: number): string {
  return `${base.replace(/\/+$/, "")}/api/v4/projects/${projectId}/hooks/push`;
}

/** The secret's owner, when still active and allowed to start pipelines in the project. */
function activeOwner(db: Db, ownerId: number | null, project: ProjectRow): UserRow | null {
  const owner = ownerId === null ? null : findUserById(db, ownerId);
  if (owner?.state !== "active") return null;
  const actor: Actor = { user: owner, via: "trigger", scopes: ["api"] };
  return can(actor, "create_pipeline", { project, level: accessLevel(db, owner, project) }) ? owner : null;
}

export function webhookRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/projects/:id/hooks/push", (c) => {
    const { project } = loadProject(c, "admin_webhooks");
    const row = c.get("deps").store.repos.webhooks.findSecret(project.id);
    return c.json({
      url: webhookUrl(externalUrl(c.get("deps").config), project.id),
      configured: row !== null,
      created_at: row?.createdAt.toISOString() ?? null,
      owner_id: row?.ownerId ?? null,
    });
  });

  /** Makes a new secret (the old one stops working) and shows it this once. */
  app.post("/projects/:id/hooks/push/secret", (c) => {
    const { project, actor } = loadProject(c, "admin_webhooks");
    const { db, repos } = c.get("deps").store;
    const row = repos.webhooks.rotateSecret(project.id, requireActor(c).user.id);
    audit(db, { action: "webhook_secret_created", actor, projectId: project.id, ip: clientIp(c) });
    return c.json({ url: webhookUrl(externalUrl(c.get("deps").config), project.id), secret: row.secret }, 201);
  });

  app.delete("/projects/:id/hooks/push/secret", (c) => {
    const { project, actor } = loadProject(c, "admin_webhooks");
    const { db, repos } = c.get("deps").store;
    if (!repos.webhooks.deleteSecret(project.id)) throw notFound("Webhook");
    audit(db, { action: "webhook_secret_deleted", actor, projectId: project.id, ip: clientIp(c) });
    return c.body(null, 204);
  });

  /** Authenticated by the signature alone; a project without a secret is answered as unknown. */
  app.post("/projects/:id/hooks/push", async (c) => {
    const deps = c.get("deps");
    const { db, repos } = deps.store;
    const id = c.req.param("id");
    const project = /^\d+$/.test(id) ? findProject(db, id) : null;
    const secret = project ? repos.webhooks.findSecret(project.id) : null;
    if (!project || !secret) throw notFound("Project");
    const body = new Uint8Array(await c.req.arrayBuffer());
    const ip = clientIp(c);
    let delivery: ReturnType<typeof readDelivery>;
    try {
      delivery = readDelivery(c.req.raw.headers, body, secret.secret);
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      audit(db, {
        action: "webhook_rejected",
        actor: null,
        projectId: project.id,
        ip,
        details: { reason: error.message },
      });
      const prefix = error.status === 401 ? "401 Unauthorized" : "400 Bad request";
      return c.json({ message: `${prefix} - ${error.message}` }, error.status);
    }
    const details = { forge: delivery.forge, delivery: delivery.deliveryId };
    // Checked before the delivery id is kept: the forge's redelivery after a new secret is not a replay.
    const owner = delivery.kind === "push" ? activeOwner(db, secret.ownerId, project) : null;
    if (delivery.kind === "push" && !owner) {
      audit(db, {
        action: "webhook_rejected",
        actor: null,
        projectId: project.id,
        ip,
        details: { ...details, reason: "owner" },
      });
      throw forbidden("the webhook secret's owner may no longer start pipelines here; make a new secret");
    }
    if (!repos.webhooks.recordDelivery(project.id, delivery.deliveryId)) {
      audit(db, { action: "webhook_replayed", actor: null, projectId: project.id, ip, details });
      return c.json({ message: "Delivery already received; nothing started" }, 200);
    }
    if (delivery.kind === "ignored") {
      audit(db, {
        action: "webhook_ignored",
        actor: null,
        projectId: project.id,
        ip,
        details: { ...details, event: delivery.event },
      });
      return c.json({ message: `Event '${delivery.event}' ignored; only pushes start pipelines` }, 200);
    }
    audit(db, {
      action: "webhook_received",
      actor: null,
      projectId: project.id,
      ip,
      details: { ...details, ref: delivery.push.ref },
    });
    // Answered before anything is fetched: the forge waits only for the checks above.
    void deps.pipelines.push(
      { projectId: project.id, userId: owner!.id, fetch: true, ...delivery.push },
      `webhook:${delivery.forge}`,
    );
    return c.json({ message: "Accepted" }, 202);
  });
  return app;
}
