// Push deliveries as GitHub, Gitea and GitLab document them (headers and body shape), signed with a given secret.
import { createHmac, randomUUID } from "node:crypto";

export interface PushSpec {
  ref: string;
  before: string;
  after: string;
  message: string;
  cloneUrl: string;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

const hmac = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");

/** GitHub's push event: `X-GitHub-Event: push`, `X-GitHub-Delivery`, `X-Hub-Signature-256: sha256=<hmac>`. */
export function githubPush(secret: string, push: PushSpec, deliveryId = randomUUID()): SignedDelivery {
  const body = JSON.stringify({
    ref: push.ref,
    before: push.before,
    after: push.after,
    created: /^0+$/.test(push.before),
    deleted: /^0+$/.test(push.after),
    forced: false,
    base_ref: null,
    compare: `https://github.com/octo/hello/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`,
    commits: [{ id: push.after, message: push.message, distinct: true }],
    head_commit: /^0+$/.test(push.after) ? null : { id: push.after, message: push.message },
    repository: { id: 1, name: "hello", full_name: "octo/hello", clone_url: push.cloneUrl },
    pusher: { name: "octo", email: "octo@example.com" },
    sender: { login: "octo", id: 1 },
  });
  return {
    body,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "GitHub-Hookshot/044aadd",
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": deliveryId,
      "X-GitHub-Hook-ID": "292430182",
      "X-Hub-Signature-256": `sha256=${hmac(secret, body)}`,
    },
  };
}

/** Gitea's push event: GitHub's shape, `X-Gitea-Event: push`, `X-Gitea-Signature: <hmac>` and X-Hub-Signature-256. */
export function giteaPush(secret: string, push: PushSpec, deliveryId = randomUUID()): SignedDelivery {
  const body = JSON.stringify({
    ref: push.ref,
    before: push.before,
    after: push.after,
    compare_url: `http://localhost:3000/gitea/webhooks/compare/${push.before}...${push.after}`,
    commits: [{ id: push.after, message: push.message, url: "http://localhost:3000/gitea/webhooks/commit/x" }],
    head_commit: { id: push.after, message: push.message },
    repository: { id: 140, name: "webhooks", full_name: "gitea/webhooks", clone_url: push.cloneUrl },
    pusher: { id: 1, login: "gitea" },
    sender: { id: 1, login: "gitea" },
  });
  const signature = hmac(secret, body);
  return {
    body,
    headers: {
      "Content-Type": "application/json",
      "X-GitHub-Delivery": deliveryId,
      "X-GitHub-Event": "push",
      "X-Gogs-Delivery": deliveryId,
      "X-Gogs-Event": "push",
      "X-Gitea-Delivery": deliveryId,
      "X-Gitea-Event": "push",
      "X-Gitea-Signature": signature,
      "X-Gogs-Signature": signature,
      "X-Hub-Signature-256": `sha256=${signature}`,
    },
  };
}

/** GitLab's push (or tag push) hook: `X-Gitlab-Event: Push Hook`, `X-Gitlab-Token`, `X-Gitlab-Event-UUID`. */
export function gitlabPush(token: string, push: PushSpec, deliveryId = randomUUID()): SignedDelivery {
  const tag = push.ref.startsWith("refs/tags/");
  const body = JSON.stringify({
    object_kind: tag ? "tag_push" : "push",
    event_name: tag ? "tag_push" : "push",
    before: push.before,
    after: push.after,
    ref: push.ref,
    ref_protected: false,
    checkout_sha: /^0+$/.test(push.after) ? null : push.after,
    user_id: 4,
    user_username: "jsmith",
    project_id: 15,
    project: { id: 15, name: "Diaspora", git_http_url: push.cloneUrl, default_branch: "main" },
    commits: [{ id: push.after, message: push.message, title: push.message.split("\n")[0] }],
    total_commits_count: 1,
    repository: { name: "Diaspora", git_http_url: push.cloneUrl },
  });
  return {
    body,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "GitLab/17.5.0",
      "X-Gitlab-Event": tag ? "Tag Push Hook" : "Push Hook",
      "X-Gitlab-Token": token,
      "X-Gitlab-Event-UUID": deliveryId,
      "X-Gitlab-Webhook-UUID": randomUUID(),
      "X-Gitlab-Instance": "https://gitlab.example.com",
    },
  };
}
