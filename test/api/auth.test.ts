// Request authentication: tokens in both headers, job tokens, session cookies with CSRF, scopes, blocked users.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { hashToken } from "../../src/auth/secrets.ts";
import { setUserState } from "../../src/auth/user-admin.ts";
import { createWebSession, SESSION_COOKIE } from "../../src/auth/web-sessions.ts";
import { jobs } from "../../src/store/schema.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
beforeAll(async () => (h = await makeHarness()));
afterAll(() => h.close());

test("no credentials or bad ones: 401 with GitLab's message", async () => {
  for (const token of [null, "glpat-nope", ""]) {
    const res = await h.request("/user", { token });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: "401 Unauthorized" });
  }
});

test("PRIVATE-TOKEN and Authorization: Bearer both authenticate", async () => {
  const a = await h.request("/user");
  expect(a.status).toBe(200);
  expect(await a.json()).toMatchObject({
    id: h.root.user.id,
    username: "root",
    is_admin: true,
    email: "root@porthole.invalid",
  });
  const b = await h.app.request("http://ci.test/api/v4/user", { headers: { Authorization: `Bearer ${h.root.token}` } });
  expect(b.status).toBe(200);
  expect(JSON.stringify(await b.json())).not.toContain("password");
});

test("GET /version needs a user and names the version", async () => {
  expect((await h.request("/version", { token: null })).status).toBe(401);
  expect(await (await h.request("/version")).json()).toMatchObject({ version: "9.9.9-test" });
});

test("a read_api token reads but gets 403 insufficient_scope on writes", async () => {
  const { token } = await h.user("reader", { scopes: ["read_api"] });
  expect((await h.request("/user", { token })).status).toBe(200);
  const res = await h.request("/projects", { token, json: { name: "nope" } });
  expect(res.status).toBe(403);
  expect(await res.json()).toMatchObject({ error: "insufficient_scope", scope: "api" });
});

test("a blocked user's token stops working at once", async () => {
  const { user, token } = await h.user("soon-blocked");
  expect((await h.request("/user", { token })).status).toBe(200);
  setUserState(h.db, user.id, "blocked");
  expect((await h.request("/user", { token })).status).toBe(401);
});

test("session cookies read freely; state changes need the session's X-CSRF-Token", async () => {
  const { user } = await h.user("browser");
  const { cookieValue, csrfToken } = createWebSession(h.db, user.id, { ip: "127.0.0.1", userAgent: "test" });
  const cookie = `${SESSION_COOKIE}=${cookieValue}`;
  const me = await h.request("/user", { token: null, headers: { Cookie: cookie } });
  expect((await me.json()).username).toBe("browser");
  const noCsrf = await h.request("/projects", {
    token: null,
    headers: { Cookie: cookie },
    json: { name: "from-browser" },
  });
  expect(noCsrf.status).toBe(401);
  const wrongCsrf = await h.request("/projects", {
    token: null,
    headers: { Cookie: cookie, "X-CSRF-Token": "x" },
    json: { name: "from-browser" },
  });
  expect(wrongCsrf.status).toBe(401);
  const ok = await h.request("/projects", {
    token: null,
    headers: { Cookie: cookie, "X-CSRF-Token": csrfToken },
    json: { name: "from-browser" },
  });
  expect(ok.status).toBe(201);
  const bad = await h.request("/user", { token: null, headers: { Cookie: `${SESSION_COOKIE}=forged` } });
  expect(bad.status).toBe(401);
});

test("JOB-TOKEN of a running job reads its own project and GET /job, nothing else, and dies with the job", async () => {
  const { user } = await h.user("jobber");
  const own = h.project(user);
  const other = h.project(user);
  const {
    jobs: [job],
  } = h.pipeline(own, { userId: user.id, jobs: [{ name: "build", status: "running" }] });
  const secret = "job-token-secret-1234";
  h.db
    .update(jobs)
    .set({ tokenHash: hashToken(secret) })
    .where(eq(jobs.id, job!.id))
    .run();
  const headers = { "JOB-TOKEN": secret };
  const me = await h.request("/job", { token: null, headers });
  expect(await me.json()).toMatchObject({ id: job!.id, name: "build" });
  expect((await h.request(`/projects/${own.id}/pipelines`, { token: null, headers })).status).toBe(200);
  expect((await h.request(`/projects/${other.id}`, { token: null, headers })).status).toBe(404);
  expect(
    (await h.request(`/projects/${own.id}/jobs/${job!.id}/cancel`, { token: null, headers, method: "POST" })).status,
  ).toBe(403);
  h.db.update(jobs).set({ status: "success" }).where(eq(jobs.id, job!.id)).run();
  expect((await h.request("/job", { token: null, headers })).status).toBe(401);
});
