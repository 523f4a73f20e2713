// Reads one forge's webhook delivery (GitHub, Gitea, Forgejo, GitLab): which forge, whether its signature or token
// matches the project's secret, the delivery id, and the pushed ref with its old and new sha.
import { createHmac } from "node:crypto";
import { z } from "zod";
import { constantTimeEqual } from "../../auth/secrets.ts";

export type Forge = "github" | "gitea" | "forgejo" | "gitlab";

export interface PushEvent {
  ref: string;
  before: string;
  after: string;
}

export type Delivery =
  | { kind: "push"; forge: Forge; deliveryId: string; push: PushEvent }
  /** A forge's test delivery (GitHub's `ping`) or an event that starts nothing here. */
  | { kind: "ignored"; forge: Forge; deliveryId: string; event: string };

export class DeliveryError extends Error {
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

const SHA = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "must be a 40 or 64 digit hex sha");
const pushSchema = z.object({
  ref: z.string().regex(/^refs\/(heads|tags)\/./, "must be refs/heads/… or refs/tags/…"),
  before: SHA,
  after: SHA,
});

/** Which forge sent this, by its event header. */
function forgeOf(headers: Headers): Forge | null {
  if (headers.has("x-gitlab-event")) return "gitlab";
  if (headers.has("x-forgejo-event")) return "forgejo";
  if (headers.has("x-gitea-event")) return "gitea";
  if (headers.has("x-github-event")) return "github";
  return null;
}

function hmacHex(secret: string, body: Uint8Array): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Throws 401 unless the delivery carries the project's secret (GitLab) or an HMAC-SHA256 of the body made with it. */
function verify(forge: Forge, headers: Headers, body: Uint8Array, secret: string): void {
  if (forge === "gitlab") {
    const token = headers.get("x-gitlab-token");
    if (!token) throw new DeliveryError(401, "X-Gitlab-Token is missing");
    if (!constantTimeEqual(token, secret)) throw new DeliveryError(401, "X-Gitlab-Token does not match");
    return;
  }
  const expected = hmacHex(secret, body);
  const hub = headers.get("x-hub-signature-256");
  const plain = forge === "github" ? null : headers.get(`x-${forge}-signature`);
  const given = hub?.startsWith("sha256=") ? hub.slice(7) : (plain ?? hub);
  if (!given) throw new DeliveryError(401, "X-Hub-Signature-256 is missing");
  if (!constantTimeEqual(given.toLowerCase(), expected)) throw new DeliveryError(401, "the signature does not match");
}

function deliveryIdOf(forge: Forge, headers: Headers): string {
  const header = {
    github: "x-github-delivery",
    gitea: "x-gitea-delivery",
    forgejo: "x-forgejo-delivery",
    gitlab: "x-gitlab-event-uuid",
  }[forge];
  const id = headers.get(header)?.trim();
  if (!id || id.length > 200) throw new DeliveryError(400, `${header} is missing`);
  return id;
}

function eventOf(forge: Forge, headers: Headers): string {
  return headers.get(forge === "gitlab" ? "x-gitlab-event" : `x-${forge}-event`) ?? "";
}

/** The JSON document: the body itself, or GitHub's `application/x-www-form-urlencoded` `payload` field. */
function documentOf(body: Uint8Array, contentType: string): unknown {
  const text = new TextDecoder().decode(body);
  try {
    if (contentType.startsWith("application/x-www-form-urlencoded"))
      return JSON.parse(new URLSearchParams(text).get("payload") ?? "");
    return JSON.parse(text);
  } catch {
    throw new DeliveryError(400, "the body is not JSON");
  }
}

/**
 * The delivery, checked against `secret`. Throws DeliveryError: 401 for a missing or wrong signature (checked before
 * the body is read), 400 for an unknown sender, a missing delivery id or a push body without ref, before and after.
 */
export function readDelivery(headers: Headers, body: Uint8Array, secret: string): Delivery {
  const forge = forgeOf(headers);
  if (!forge) throw new DeliveryError(400, "not a webhook from GitHub, Gitea, Forgejo or GitLab (no X-…-Event header)");
  verify(forge, headers, body, secret);
  const deliveryId = deliveryIdOf(forge, headers);
  const event = eventOf(forge, headers);
  const isPush = forge === "gitlab" ? event === "Push Hook" || event === "Tag Push Hook" : event === "push";
  if (!isPush) return { kind: "ignored", forge, deliveryId, event };
  const parsed = pushSchema.safeParse(documentOf(body, headers.get("content-type") ?? ""));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DeliveryError(400, `push payload: ${issue.path.join(".") || "body"} ${issue.message}`);
  }
  return { kind: "push", forge, deliveryId, push: parsed.data };
}
