// Users (admin) and personal access tokens: create, list, update, block, delete, token create/list/revoke.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
beforeAll(async () => (h = await makeHarness()));
afterAll(() => h.close());

test("admins create users (201, UserWithAdmin); bad input and duplicates get GitLab's errors", async () => {
  const res = await h.request("/users", {
    json: { username: "newbie", name: "New Bie", email: "nb@example.com", password: "password123" },
  });
  expect(res.status).toBe(201);
  const u = await res.json();
  expect(u).toMatchObject({
    username: "newbie",
    name: "New Bie",
    email: "nb@example.com",
    is_admin: false,
    state: "active",
    web_url: "http://ci.test/newbie",
  });
  expect(JSON.stringify(u)).not.toMatch(/password|argon/);
  const dup = await h.request("/users", { json: { username: "NEWBIE", password: "password123" } });
  expect([dup.status, await dup.json()]).toEqual([409, { message: "Username has already been taken" }]);
  const short = await h.request("/users", { json: { username: "shorty", password: "123" } });
  expect([short.status, await short.json()]).toEqual([
    400,
    { message: { password: ["is too short (minimum is 8 characters)"] } },
  ]);
  const nopw = await h.request("/users", { json: { username: "nopw" } });
  expect((await nopw.json()).error).toContain("password, reset_password, force_random_password are missing");
  expect((await h.request("/users", { json: { username: "rnd", force_random_password: true } })).status).toBe(201);
});

test("non-admins may list and view users (basic fields) but not manage them", async () => {
  const { token, user } = await h.user("plain");
  const list = await h.request("/users?username=plain", { token });
  const [one] = await list.json();
  expect(one).toMatchObject({ id: user.id, username: "plain" });
  expect(one.email).toBeUndefined();
  expect((await h.request(`/users/${user.id}`, { token })).status).toBe(200);
  expect((await h.request("/users", { token, json: { username: "x2", password: "password123" } })).status).toBe(403);
  expect((await h.request(`/users/${user.id}`, { token, method: "PUT", json: { admin: true } })).status).toBe(403);
  expect((await h.request(`/users/${user.id}/block`, { token, method: "POST" })).status).toBe(403);
  expect((await h.request("/users/99999")).status).toBe(404);
});

test("block and unblock take effect on the user's tokens; root cannot block or delete itself", async () => {
  const { user, token } = await h.user("blockme");
  const blocked = await h.request(`/users/${user.id}/block`, { method: "POST" });
  expect([blocked.status, await blocked.json()]).toEqual([201, true]);
  expect((await h.request("/user", { token })).status).toBe(401);
  await h.request(`/users/${user.id}/unblock`, { method: "POST" });
  expect((await h.request("/user", { token })).status).toBe(200);
  expect((await h.request(`/users/${h.root.user.id}/block`, { method: "POST" })).status).toBe(403);
  expect((await h.request(`/users/${h.root.user.id}`, { method: "DELETE" })).status).toBe(403);
  expect((await h.request(`/users/${h.root.user.id}`, { method: "PUT", json: { admin: false } })).status).toBe(403);
});

test("update and delete; a user with projects must lose them first", async () => {
  const { user } = await h.user("changeme");
  const put = await h.request(`/users/${user.id}`, { method: "PUT", json: { name: "Changed", admin: true } });
  expect(await put.json()).toMatchObject({ name: "Changed", is_admin: true });
  const kept = h.project(user, { name: "keep" });
  expect((await h.request(`/users/${user.id}`, { method: "DELETE" })).status).toBe(409);
  const renamed = await h.request(`/users/${user.id}`, { method: "PUT", json: { username: "renamed" } });
  expect((await renamed.json()).username).toBe("renamed");
  expect((await (await h.request("/projects/renamed%2Fkeep")).json()).id).toBe(kept.id);
  const { user: gone } = await h.user("deleteme");
  expect((await h.request(`/users/${gone.id}`, { method: "DELETE" })).status).toBe(204);
  expect((await h.request(`/users/${gone.id}`)).status).toBe(404);
});

test("an update with nothing to change is a 400 naming the fields, and changes nothing", async () => {
  const { user } = await h.user("unchanged");
  const before = await (await h.request(`/users/${user.id}`)).json();
  for (const json of [{}, { favourite_colour: "blue" }]) {
    const res = await h.request(`/users/${user.id}`, { method: "PUT", json });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "username, name, email, password, admin are missing, at least one parameter must be provided",
    });
  }
  expect(await (await h.request(`/users/${user.id}`)).json()).toEqual(before);
  expect((await h.request("/users/999999", { method: "PUT", json: {} })).status).toBe(404);
});

test("admins create tokens for users; the token is shown once and works with its scopes", async () => {
  const { user } = await h.user("tokened");
  const res = await h.request(`/users/${user.id}/personal_access_tokens`, {
    json: { name: "ci", scopes: ["read_api"], expires_at: "2999-12-31" },
  });
  expect(res.status).toBe(201);
  const t = await res.json();
  expect(t).toMatchObject({
    name: "ci",
    scopes: ["read_api"],
    user_id: user.id,
    active: true,
    revoked: false,
    expires_at: "2999-12-31",
  });
  expect(t.token).toMatch(/^glpat-/);
  expect((await h.request("/user", { token: t.token })).status).toBe(200);
  const form = await h.request(`/users/${user.id}/personal_access_tokens`, { form: { name: "f", "scopes[]": "api" } });
  expect((await form.json()).scopes).toEqual(["api"]);
  const bad = await h.request(`/users/${user.id}/personal_access_tokens`, { json: { name: "x", scopes: ["sudo"] } });
  expect(await bad.json()).toEqual({ error: "scopes[0] does not have a valid value" });
  const listed = await (await h.request(`/personal_access_tokens`, { token: t.token })).json();
  expect(listed.map((x: { name: string }) => x.name).sort()).toEqual(["ci", "f", "test"]);
  expect(JSON.stringify(listed)).not.toContain("glpat-");
});

test("users revoke their own tokens (by id or self), not others'; admins revoke any", async () => {
  const { user: a, token: aToken } = await h.user("revoker");
  const { token: bToken } = await h.user("other");
  const mine = await (await h.request("/personal_access_tokens/self", { token: aToken })).json();
  expect(mine.user_id).toBe(a.id);
  const others = await (await h.request("/personal_access_tokens", { token: bToken })).json();
  expect((await h.request(`/personal_access_tokens/${others[0].id}`, { token: aToken, method: "DELETE" })).status).toBe(
    404,
  );
  expect((await h.request(`/personal_access_tokens/self`, { token: bToken, method: "DELETE" })).status).toBe(204);
  expect((await h.request("/user", { token: bToken })).status).toBe(401);
  expect((await h.request(`/personal_access_tokens/${mine.id}`, { method: "DELETE" })).status).toBe(204);
  expect((await h.request("/user", { token: aToken })).status).toBe(401);
  const all = await (await h.request(`/personal_access_tokens?user_id=${a.id}&revoked=true`)).json();
  expect(all).toEqual([expect.objectContaining({ id: mine.id, revoked: true, active: false })]);
});
