// Members (roles, Owner rules, leaving) and CI/CD variables (Maintainer only, masking rules, scopes).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ROLES } from "../../src/auth/permissions.ts";
import type { ProjectRow, UserRow } from "../../src/store/rows.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
let owner: { user: UserRow; token: string };
let maint: { user: UserRow; token: string };
let dev: { user: UserRow; token: string };
let outsider: { user: UserRow; token: string };
let p: ProjectRow;
beforeAll(async () => {
  h = await makeHarness();
  owner = await h.user("owner");
  maint = await h.user("maint");
  dev = await h.user("dev");
  outsider = await h.user("outsider");
  p = h.project(owner.user, { name: "team" });
  h.member(p, maint.user, ROLES.maintainer);
  h.member(p, dev.user, ROLES.developer);
});
afterAll(() => h.close());

test("Maintainers add members up to Maintainer; Owner level needs an Owner; duplicates conflict", async () => {
  const { user: newbie } = await h.user("newbie");
  const add = await h.request(`/projects/${p.id}/members`, {
    token: maint.token,
    json: { user_id: newbie.id, access_level: 30 },
  });
  expect(add.status).toBe(201);
  expect(await add.json()).toMatchObject({ id: newbie.id, username: "newbie", access_level: 30, expires_at: null });
  const again = await h.request(`/projects/${p.id}/members`, {
    token: maint.token,
    json: { user_id: newbie.id, access_level: 30 },
  });
  expect([again.status, await again.json()]).toEqual([409, { message: "Member already exists" }]);
  expect(
    (
      await h.request(`/projects/${p.id}/members/${newbie.id}`, {
        token: maint.token,
        method: "PUT",
        json: { access_level: 50 },
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await h.request(`/projects/${p.id}/members/${newbie.id}`, {
        token: owner.token,
        method: "PUT",
        json: { access_level: 50 },
      })
    ).status,
  ).toBe(200);
  expect(
    (await h.request(`/projects/${p.id}/members/${newbie.id}`, { token: maint.token, method: "DELETE" })).status,
  ).toBe(403);
  expect(
    (await h.request(`/projects/${p.id}/members/${newbie.id}`, { token: owner.token, method: "DELETE" })).status,
  ).toBe(204);
  const bad = await h.request(`/projects/${p.id}/members`, {
    token: owner.token,
    json: { user_id: newbie.id, access_level: 35 },
  });
  expect(await bad.json()).toEqual({ error: "access_level is invalid" });
  expect(
    (await h.request(`/projects/${p.id}/members`, { token: owner.token, json: { user_id: 424242, access_level: 30 } }))
      .status,
  ).toBe(404);
});

test("Developers see members but cannot change them; outsiders get 404", async () => {
  const list = await h.request(`/projects/${p.id}/members`, { token: dev.token });
  expect((await list.json()).map((m: { username: string }) => m.username)).toEqual(
    expect.arrayContaining(["owner", "maint", "dev"]),
  );
  expect(
    (
      await h.request(`/projects/${p.id}/members`, {
        token: dev.token,
        json: { user_id: outsider.user.id, access_level: 10 },
      })
    ).status,
  ).toBe(403);
  expect((await h.request(`/projects/${p.id}/members`, { token: outsider.token })).status).toBe(404);
});

test("the last Owner stays; a member may leave on their own", async () => {
  const res = await h.request(`/projects/${p.id}/members/${owner.user.id}`, {
    token: owner.token,
    method: "PUT",
    json: { access_level: 40 },
  });
  expect(res.status).toBe(403);
  expect(
    (await h.request(`/projects/${p.id}/members/${owner.user.id}`, { token: owner.token, method: "DELETE" })).status,
  ).toBe(403);
  const { user: leaver, token } = await h.user("leaver");
  h.member(p, leaver, ROLES.reporter);
  expect((await h.request(`/projects/${p.id}/members/${leaver.id}`, { token, method: "DELETE" })).status).toBe(204);
  expect((await h.request(`/projects/${p.id}`, { token })).status).toBe(404);
});

test("variables: Maintainers only; create, read, update, delete; Developers get 403", async () => {
  expect((await h.request(`/projects/${p.id}/variables`, { token: dev.token })).status).toBe(403);
  const made = await h.request(`/projects/${p.id}/variables`, {
    token: maint.token,
    json: { key: "DEPLOY_KEY", value: "c2VjcmV0LXZhbHVl", masked: true, protected: true },
  });
  expect(made.status).toBe(201);
  expect(await made.json()).toEqual({
    variable_type: "env_var",
    key: "DEPLOY_KEY",
    value: "c2VjcmV0LXZhbHVl",
    hidden: false,
    protected: true,
    masked: true,
    raw: false,
    environment_scope: "*",
    description: null,
  });
  const form = await h.request(`/projects/${p.id}/variables`, {
    token: maint.token,
    form: { key: "PLAIN", value: "x", raw: "true" },
  });
  expect(await form.json()).toMatchObject({ key: "PLAIN", raw: true });
  const upd = await h.request(`/projects/${p.id}/variables/PLAIN`, {
    token: maint.token,
    method: "PUT",
    json: { value: "y" },
  });
  expect(await upd.json()).toMatchObject({ key: "PLAIN", value: "y", raw: true });
  expect((await (await h.request(`/projects/${p.id}/variables`, { token: maint.token })).json()).length).toBe(2);
  expect((await h.request(`/projects/${p.id}/variables/PLAIN`, { token: maint.token, method: "DELETE" })).status).toBe(
    204,
  );
  const gone = await h.request(`/projects/${p.id}/variables/PLAIN`, { token: maint.token });
  expect([gone.status, await gone.json()]).toEqual([404, { message: "404 Variable Not Found" }]);
});

test("variables: bad keys, unmaskable values and duplicates are refused; scopes disambiguate", async () => {
  const post = (json: unknown) => h.request(`/projects/${p.id}/variables`, { token: owner.token, json });
  expect((await (await post({ key: "bad-key", value: "x" })).json()).message.key).toBeDefined();
  expect((await (await post({ key: "SHORT", value: "abc", masked: true })).json()).message.value[0]).toContain(
    "cannot be masked",
  );
  expect(
    (await (await post({ key: "MULTI", value: "line one\nline two", masked: true })).json()).message.value,
  ).toBeDefined();
  expect((await post({ key: "SCOPED", value: "1" })).status).toBe(201);
  expect(await (await post({ key: "SCOPED", value: "2" })).json()).toEqual({
    message: { key: ["(SCOPED) has already been taken"] },
  });
  expect((await post({ key: "SCOPED", value: "3", environment_scope: "prod" })).status).toBe(201);
  expect((await h.request(`/projects/${p.id}/variables/SCOPED`, { token: owner.token })).status).toBe(409);
  const prod = await h.request(`/projects/${p.id}/variables/SCOPED?filter[environment_scope]=prod`, {
    token: owner.token,
  });
  expect((await prod.json()).value).toBe("3");
  expect((await post({ value: "x" })).status).toBe(400);
});
