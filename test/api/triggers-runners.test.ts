// Trigger tokens and the trigger endpoint; runners and their one-time tokens.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { ROLES } from "../../src/auth/permissions.ts";
import { authenticateRunner } from "../../src/auth/runner-tokens.ts";
import { hashToken } from "../../src/auth/secrets.ts";
import { setUserState } from "../../src/auth/user-admin.ts";
import type { ProjectRow, UserRow } from "../../src/store/rows.ts";
import { jobs, members, pipelines, runners } from "../../src/store/schema.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
let owner: { user: UserRow; token: string };
let dev: { user: UserRow; token: string };
let p: ProjectRow;
beforeAll(async () => {
  h = await makeHarness();
  owner = await h.user("owner");
  dev = await h.user("dev");
  p = h.project(owner.user, { name: "trig", ci_config: "job:\n  script: [echo $DEPLOY]\n" });
  h.member(p, dev.user, ROLES.developer);
});
afterAll(() => h.close());

test("Maintainers create, list and delete trigger tokens; the full token is shown only at creation", async () => {
  expect((await h.request(`/projects/${p.id}/triggers`, { token: dev.token })).status).toBe(403);
  const made = await h.request(`/projects/${p.id}/triggers`, {
    token: owner.token,
    json: { description: "deploy hook" },
  });
  expect(made.status).toBe(201);
  const t = await made.json();
  expect(t).toMatchObject({ description: "deploy hook", owner: { username: "owner" }, last_used: null });
  expect(t.token).toMatch(/^glptt-[A-Za-z0-9_-]{20}$/);
  const [listed] = await (await h.request(`/projects/${p.id}/triggers`, { token: owner.token })).json();
  expect(listed.token).toBe(t.token.slice(0, 10));
  expect((await h.request(`/projects/${p.id}/triggers`, { token: owner.token, json: {} })).status).toBe(400);
  expect((await h.request(`/projects/${p.id}/triggers/${t.id}`, { token: owner.token, method: "DELETE" })).status).toBe(
    204,
  );
  expect((await h.request(`/projects/${p.id}/triggers/${t.id}`, { token: owner.token, method: "DELETE" })).status).toBe(
    404,
  );
});

test("POST trigger/pipeline takes the token and variables[KEY]=value, with no other credentials", async () => {
  const t = await (
    await h.request(`/projects/${p.id}/triggers`, { token: owner.token, json: { description: "t" } })
  ).json();
  const res = await h.request(`/projects/${p.id}/trigger/pipeline`, {
    token: null,
    form: { token: t.token, ref: "main", "variables[DEPLOY]": "yes", "variables[N]": "2" },
  });
  expect(res.status).toBe(201);
  const made = await res.json();
  expect(made).toMatchObject({ project_id: p.id, source: "trigger", user: { username: "owner" } });
  const row = h.db.select().from(pipelines).where(eq(pipelines.id, made.id)).get()!;
  expect(row.variables).toEqual([
    { key: "DEPLOY", value: "yes" },
    { key: "N", value: "2" },
  ]);
  const json = await h.request(`/projects/${p.id}/trigger/pipeline`, {
    token: null,
    json: { token: t.token, ref: "main", variables: { A: "b" } },
  });
  expect(json.status).toBe(201);
  const wrong = await h.request(`/projects/${p.id}/trigger/pipeline`, {
    token: null,
    form: { token: "glptt-wrong", ref: "main" },
  });
  expect([wrong.status, await wrong.json()]).toEqual([404, { message: "404 Trigger Not Found" }]);
  const other = h.project(owner.user, { name: "other" });
  expect(
    (await h.request(`/projects/${other.id}/trigger/pipeline`, { token: null, form: { token: t.token, ref: "main" } }))
      .status,
  ).toBe(404);
});

test("a trigger stops working when its owner is blocked or loses Developer access", async () => {
  const maint = await h.user("maint");
  h.member(p, maint.user, ROLES.maintainer);
  const t = await (
    await h.request(`/projects/${p.id}/triggers`, { token: maint.token, json: { description: "x" } })
  ).json();
  const fire = () =>
    h.request(`/projects/${p.id}/trigger/pipeline`, { token: null, form: { token: t.token, ref: "main" } });
  expect((await fire()).status).toBe(201);
  setUserState(h.db, maint.user.id, "blocked");
  expect((await fire()).status).toBe(403);
  setUserState(h.db, maint.user.id, "active");
  h.db
    .update(members)
    .set({ accessLevel: ROLES.reporter })
    .where(and(eq(members.projectId, p.id), eq(members.userId, maint.user.id)))
    .run();
  expect((await fire()).status).toBe(403);
});

test("a running job's CI_JOB_TOKEN triggers a pipeline as the job's user, if that user may", async () => {
  const {
    jobs: [job],
  } = h.pipeline(p, { userId: dev.user.id, jobs: [{ name: "upstream", status: "running" }] });
  h.db
    .update(jobs)
    .set({ tokenHash: hashToken("ci-job-token-value") })
    .where(eq(jobs.id, job!.id))
    .run();
  const res = await h.request(`/projects/${p.id}/trigger/pipeline`, {
    token: null,
    json: { token: "ci-job-token-value", ref: "feature" },
  });
  expect(res.status).toBe(201);
  // GitLab's source for a pipeline a job starts: `pipeline`, so `$CI_PIPELINE_SOURCE == "pipeline"` guards loops.
  expect(await res.json()).toMatchObject({ user: { username: "dev" }, source: "pipeline" });
  // A Developer may not push to the protected default branch, so their job token cannot start pipelines there.
  const onMain = await h.request(`/projects/${p.id}/trigger/pipeline`, {
    token: null,
    json: { token: "ci-job-token-value", ref: "main" },
  });
  expect(onMain.status).toBe(400);
  const elsewhere = h.project(owner.user, { name: "not-devs" });
  expect(
    (
      await h.request(`/projects/${elsewhere.id}/trigger/pipeline`, {
        token: null,
        json: { token: "ci-job-token-value", ref: "main" },
      })
    ).status,
  ).toBe(403);
});

test("admins create runners (token once, only its hash kept), list, show and delete them; others may not", async () => {
  expect((await h.request("/user/runners", { token: dev.token, json: { runner_type: "instance_type" } })).status).toBe(
    403,
  );
  const res = await h.request("/user/runners", {
    json: { runner_type: "instance_type", description: "big box", tag_list: "docker,linux", run_untagged: false },
  });
  expect(res.status).toBe(201);
  const made = await res.json();
  expect(made.token).toMatch(/^glrt-/);
  expect(made.token_expires_at).toBeNull();
  expect(authenticateRunner(h.db, made.token)?.id).toBe(made.id);
  expect(JSON.stringify(h.db.select().from(runners).all())).not.toContain(made.token);
  const list = await (await h.request("/runners?tag_list=docker")).json();
  expect(list).toEqual([
    expect.objectContaining({
      id: made.id,
      description: "big box",
      is_shared: true,
      runner_type: "instance_type",
      paused: false,
      online: false,
      status: "never_contacted",
    }),
  ]);
  expect(await (await h.request("/runners", { token: dev.token })).json()).toEqual([]);
  expect((await h.request("/runners/all", { token: dev.token })).status).toBe(403);
  expect(await (await h.request(`/runners/${made.id}`)).json()).toMatchObject({
    tag_list: ["docker", "linux"],
    run_untagged: false,
  });
  const bad = await h.request("/user/runners", { json: { runner_type: "group_type" } });
  expect(await bad.json()).toEqual({ error: "runner_type does not have a valid value" });
  expect((await h.request(`/runners/${made.id}`, { method: "DELETE" })).status).toBe(204);
  expect(authenticateRunner(h.db, made.token)).toBeNull();
  const embedded = h.db
    .insert(runners)
    .values({ description: "embedded", tokenHash: "x", embedded: true, tags: [] })
    .returning()
    .get();
  expect((await h.request(`/runners/${embedded.id}`, { method: "DELETE" })).status).toBe(403);
});
