// Forge webhooks against a project mirrored from a local git repository: signed pushes from GitHub, Gitea and GitLab
// start a pipeline on the pushed sha; bad signatures, replays, `[skip ci]`, deleted branches and bad bodies do not.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { ROLES } from "../../src/auth/permissions.ts";
import type { ProjectRow } from "../../src/store/rows.ts";
import { auditEvents, members, pipelines } from "../../src/store/schema.ts";
import { makeHarness } from "../support/api-harness.ts";
import { giteaPush, githubPush, gitlabPush, type SignedDelivery } from "../support/forge-webhooks.ts";
import { makeRepo } from "../support/git-repo.ts";
import { waitFor } from "../support/wait.ts";

const CI = "build:\n  script: [echo hi]\n";
const ZERO = "0".repeat(40);

let h: Awaited<ReturnType<typeof makeHarness>>;
let repo: ReturnType<typeof makeRepo>;
let project: ProjectRow;
let secret: string;

beforeAll(async () => {
  h = await makeHarness();
  repo = makeRepo({ ".gitlab-ci.yml": CI });
  project = h.project(h.root.user, { import_url: repo.dir });
  const made = await h.request(`/projects/${project.id}/hooks/push/secret`, { method: "POST" });
  expect(made.status).toBe(201);
  secret = ((await made.json()) as { secret: string }).secret;
});
afterAll(() => h.close());

function deliver(d: SignedDelivery, projectId = project.id) {
  return h.request(`/projects/${projectId}/hooks/push`, {
    method: "POST",
    token: null,
    headers: d.headers,
    body: d.body,
  });
}

const pipelinesOf = () =>
  h.db.select().from(pipelines).where(eq(pipelines.projectId, project.id)).orderBy(asc(pipelines.id)).all();

/** Commits on `main` of the source repository and returns the push the forge would report. */
function pushCommit(message: string) {
  const before = repo.git("rev-parse", "HEAD");
  const after = repo.commit({ "n.txt": `${Math.random()}` }, message);
  return { ref: "refs/heads/main", before, after, message, cloneUrl: repo.dir };
}

async function pipelineFor(sha: string) {
  return waitFor(`a pipeline for ${sha}`, async () => pipelinesOf().find((p) => p.sha === sha));
}

/** No pipeline is made for `sha`: waits until the push's audit entry says why. */
async function noPipelineFor(sha: string, action: string) {
  await waitFor(`${action} for ${sha}`, async () =>
    h.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, action))
      .all()
      .find((e) => JSON.stringify(e.details).includes(sha)),
  );
  expect(pipelinesOf().some((p) => p.sha === sha)).toBe(false);
}

describe("webhooks from forges", () => {
  test("the secret is 32 random bytes, shown once", async () => {
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const shown = (await (await h.request(`/projects/${project.id}/hooks/push`)).json()) as Record<string, unknown>;
    expect(shown.configured).toBe(true);
    expect(JSON.stringify(shown)).not.toContain(secret);
  });

  for (const [forge, sign] of [
    ["GitHub", githubPush],
    ["Gitea", giteaPush],
    ["GitLab", gitlabPush],
  ] as const) {
    test(`a ${forge} push answers 202 at once and runs the pushed sha with CI_PIPELINE_SOURCE=push`, async () => {
      const push = pushCommit(`change for ${forge}`);
      // A later commit moves the branch on: the pipeline still runs the pushed sha, not the tip.
      repo.commit({ "later.txt": forge }, "later");
      const started = performance.now();
      const res = await deliver(sign(secret, push));
      const took = performance.now() - started;
      expect(res.status).toBe(202);
      expect(took).toBeLessThan(200);
      const pipeline = await pipelineFor(push.after);
      expect(pipeline).toMatchObject({ ref: "main", tag: false, source: "push", beforeSha: push.before });
    });
  }

  test("a tag push starts a tag pipeline", async () => {
    const sha = repo.git("rev-parse", "HEAD");
    repo.git("tag", "v1.0.0");
    const res = await deliver(
      gitlabPush(secret, { ref: "refs/tags/v1.0.0", before: ZERO, after: sha, message: "t", cloneUrl: repo.dir }),
    );
    expect(res.status).toBe(202);
    const pipeline = await waitFor("the tag pipeline", async () =>
      pipelinesOf().find((p) => p.ref === "v1.0.0" && p.tag),
    );
    expect(pipeline.sha).toBe(sha);
    expect(pipeline.beforeSha).toBe(ZERO);
  });

  test("a bad signature gets 401 and creates nothing", async () => {
    const push = pushCommit("unsigned");
    for (const d of [githubPush("wrong", push), giteaPush("wrong", push), gitlabPush("wrong", push)]) {
      const res = await deliver(d);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toStartWith("401 Unauthorized - ");
    }
    // A body changed after signing fails too.
    const good = githubPush(secret, push);
    const res = await deliver({ ...good, body: good.body.replace(push.after, push.before) });
    expect(res.status).toBe(401);
    await Bun.sleep(300);
    expect(pipelinesOf().some((p) => p.sha === push.after)).toBe(false);
    const rejected = h.db.select().from(auditEvents).where(eq(auditEvents.action, "webhook_rejected")).all();
    expect(rejected.length).toBeGreaterThanOrEqual(4);
  });

  test("a signed push naming a sha that is not on the ref starts nothing", async () => {
    repo.git("checkout", "-q", "-b", "side");
    const side = repo.commit({ "side.txt": "x" }, "unreviewed");
    repo.git("checkout", "-q", "main");
    const before = repo.git("rev-parse", "HEAD");
    const res = await deliver(
      githubPush(secret, { ref: "refs/heads/main", before, after: side, message: "", cloneUrl: repo.dir }),
    );
    expect(res.status).toBe(202);
    await noPipelineFor(side, "push_pipeline_failed");
  });

  test("a replayed delivery starts nothing", async () => {
    const push = pushCommit("replayed");
    const delivery = githubPush(secret, push);
    expect((await deliver(delivery)).status).toBe(202);
    await pipelineFor(push.after);
    const again = await deliver(delivery);
    expect(again.status).toBe(200);
    await Bun.sleep(300);
    expect(pipelinesOf().filter((p) => p.sha === push.after)).toHaveLength(1);
  });

  test("[skip ci] and [ci skip] in the commit message start nothing", async () => {
    for (const message of ["docs only [skip ci]", "wip [CI SKIP]"]) {
      const push = pushCommit(message);
      expect((await deliver(giteaPush(secret, push))).status).toBe(202);
      await noPipelineFor(push.after, "push_skipped");
    }
  });

  test("deleting a branch starts nothing", async () => {
    const before = repo.git("rev-parse", "HEAD");
    const res = await deliver(
      githubPush(secret, { ref: "refs/heads/gone", before, after: ZERO, message: "", cloneUrl: repo.dir }),
    );
    expect(res.status).toBe(202);
    await noPipelineFor(ZERO, "push_skipped");
  });

  test("an unknown project, a project without a secret and a malformed body get a clear 4xx", async () => {
    const push = pushCommit("nowhere");
    expect((await deliver(githubPush(secret, push), 999_999)).status).toBe(404);
    const other = h.project(h.root.user, { import_url: repo.dir });
    expect((await deliver(githubPush(secret, push), other.id)).status).toBe(404);
    for (const body of ["not json", JSON.stringify({ ref: "main", before: "x", after: "y" })]) {
      const { headers } = githubPush(secret, push);
      const res = await deliver({ headers: { ...headers, "X-Hub-Signature-256": `sha256=${hmac(body)}` }, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toStartWith("400 Bad request - ");
    }
    await Bun.sleep(300);
    expect(pipelinesOf().some((p) => p.sha === push.after)).toBe(false);
  });

  test("a secret whose maker lost access is refused with 403; the redelivery after a new secret is accepted", async () => {
    const other = h.project(h.root.user, { import_url: repo.dir });
    const maint = await h.user(`maint${Date.now()}`);
    h.member(other, maint.user, ROLES.maintainer);
    const made = await h.request(`/projects/${other.id}/hooks/push/secret`, { method: "POST", token: maint.token });
    const old = ((await made.json()) as { secret: string }).secret;
    h.db.update(members).set({ accessLevel: ROLES.reporter }).where(eq(members.userId, maint.user.id)).run();
    const push = pushCommit("after demotion");
    const deliveryId = crypto.randomUUID();
    expect((await deliver(githubPush(old, push, deliveryId), other.id)).status).toBe(403);
    const renewed = await h.request(`/projects/${other.id}/hooks/push/secret`, { method: "POST" });
    const fresh = ((await renewed.json()) as { secret: string }).secret;
    expect((await deliver(githubPush(old, push, deliveryId), other.id)).status).toBe(401);
    expect((await deliver(githubPush(fresh, push, deliveryId), other.id)).status).toBe(202);
    await waitFor("the redelivered push's pipeline", async () =>
      h.db.select().from(pipelines).where(eq(pipelines.projectId, other.id)).get(),
    );
  });

  test("only Maintainers see or make the secret", async () => {
    const dev = await h.user(`dev${Date.now()}`);
    h.member(project, dev.user, ROLES.developer);
    expect(
      (await h.request(`/projects/${project.id}/hooks/push/secret`, { method: "POST", token: dev.token })).status,
    ).toBe(403);
    expect((await h.request(`/projects/${project.id}/hooks/push`, { token: dev.token })).status).toBe(403);
  });
});

function hmac(body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}
