// Projects: create (creator becomes Owner), show by id or path, list with visibility and pagination, update, delete.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ROLES } from "../../src/auth/permissions.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
beforeAll(async () => (h = await makeHarness()));
afterAll(() => h.close());

test("POST /projects makes the project in the creator's namespace, with porthole's fields, creator as Owner", async () => {
  const { token } = await h.user("alice");
  const res = await h.request("/projects", {
    token,
    json: { name: "My Demo", ci_config: "build:\n  script: [echo hi]\n", default_branch: "trunk", description: "d" },
  });
  expect(res.status).toBe(201);
  const p = await res.json();
  expect(p).toMatchObject({
    name: "My Demo",
    path: "my-demo",
    path_with_namespace: "alice/my-demo",
    name_with_namespace: "alice / My Demo",
    default_branch: "trunk",
    visibility: "private",
    ci_config: "build:\n  script: [echo hi]\n",
    ci_config_path: ".gitlab-ci.yml",
    import_url: null,
    web_url: "http://ci.test/alice/my-demo",
    namespace: { path: "alice", kind: "user", full_path: "alice" },
    owner: { username: "alice" },
    permissions: { project_access: { access_level: 50 } },
    empty_repo: false,
  });
  expect(p.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const members = await (await h.request(`/projects/${p.id}/members`, { token })).json();
  expect(members).toEqual([expect.objectContaining({ username: "alice", access_level: ROLES.owner })]);
});

test(":id is the numeric id or the URL-encoded namespace/path (any case)", async () => {
  const { user, token } = await h.user("bob");
  const p = h.project(user, { name: "tools" });
  for (const ref of [String(p.id), "bob%2Ftools", "BOB%2FTools"]) {
    const res = await h.request(`/projects/${ref}`, { token });
    expect([ref, res.status]).toEqual([ref, 200]);
    expect((await res.json()).id).toBe(p.id);
  }
  expect((await h.request("/projects/bob%2Fnope", { token })).status).toBe(404);
});

test("validation: one message per field, in GitLab's shape; duplicates are refused", async () => {
  const { token } = await h.user("carol");
  const missing = await h.request("/projects", { token, json: {} });
  expect(missing.status).toBe(400);
  expect(await missing.json()).toEqual({ error: "name, path are missing, at least one parameter must be provided" });
  const bad = await h.request("/projects", {
    token,
    json: { name: "ok", path: "-bad", ci_config_path: "../x.yml", default_branch: "a..b" },
  });
  expect(bad.status).toBe(400);
  const body = await bad.json();
  expect(Object.keys(body.message).sort()).toEqual(["ci_config_path", "default_branch", "path"]);
  expect((await h.request("/projects", { token, json: { name: "dup" } })).status).toBe(201);
  const dup = await h.request("/projects", { token, json: { name: "dup" } });
  expect(await dup.json()).toEqual({ message: { name: ["has already been taken"], path: ["has already been taken"] } });
  const vis = await h.request("/projects", { token, json: { name: "v", visibility: "secret" } });
  expect(await vis.json()).toEqual({ error: "visibility does not have a valid value" });
});

test("import_url: remote URLs for everyone, local paths for admins only, option-like URLs never", async () => {
  const { token } = await h.user("dan");
  const remote = await h.request("/projects", {
    token,
    json: { name: "r", import_url: "https://user:secret@git.example.com/x.git" },
  });
  expect(remote.status).toBe(201);
  const r = await remote.json();
  expect(r.import_url).toBe("https://user:*****@git.example.com/x.git");
  expect(JSON.stringify(r)).not.toContain("secret");
  const local = await h.request("/projects", { token, json: { name: "l", import_url: "/etc" } });
  expect((await local.json()).message.import_url[0]).toContain("only administrators");
  const admin = await h.request("/projects", { json: { name: "l", import_url: "/srv/repo" } });
  expect(admin.status).toBe(201);
  for (const url of ["--upload-pack=touch /tmp/x", "ext::sh -c touch% /tmp/pwned"]) {
    const res = await h.request("/projects", { json: { name: "evil", import_url: url } });
    expect((await res.json()).message.import_url[0]).toContain("is blocked");
  }
});

test("private projects are invisible (404) to outsiders; public ones readable anonymously; internal ones by users", async () => {
  const { user: owner, token: ownerToken } = await h.user("erin");
  const { token: outsider } = await h.user("frank");
  const priv = h.project(owner, { name: "priv" });
  const pub = h.project(owner, { name: "pub", visibility: "public" });
  const int = h.project(owner, { name: "int", visibility: "internal" });
  expect((await h.request(`/projects/${priv.id}`, { token: outsider })).status).toBe(404);
  expect(await (await h.request(`/projects/${priv.id}`, { token: outsider })).json()).toEqual({
    message: "404 Project Not Found",
  });
  expect((await h.request(`/projects/${priv.id}`, { token: null })).status).toBe(401);
  expect((await h.request(`/projects/${pub.id}`, { token: null })).status).toBe(200);
  expect((await h.request(`/projects/${int.id}`, { token: null })).status).toBe(401);
  expect((await h.request(`/projects/${int.id}`, { token: outsider })).status).toBe(200);
  expect(
    (await h.request(`/projects/${pub.id}`, { token: outsider, method: "PUT", json: { description: "x" } })).status,
  ).toBe(403);
  const names = async (token: string | null) =>
    ((await (await h.request("/projects?per_page=100&search=", { token })).json()) as { name: string }[]).map(
      (p) => p.name,
    );
  expect(await names(outsider)).toEqual(expect.arrayContaining(["pub", "int"]));
  expect(await names(outsider)).not.toContain("priv");
  expect(await names(null)).toContain("pub");
  expect(await names(null)).not.toContain("int");
  expect(await names(ownerToken)).toEqual(expect.arrayContaining(["priv", "pub", "int"]));
});

test("lists paginate with GitLab's headers", async () => {
  const { user, token } = await h.user("gina");
  for (let i = 0; i < 5; i++) h.project(user, { name: `page-${i}` });
  const res = await h.request("/projects?owned=true&per_page=2&page=2&order_by=id&sort=asc", { token });
  expect((await res.json()).map((p: { name: string }) => p.name)).toEqual(["page-2", "page-3"]);
  expect(
    Object.fromEntries(
      ["x-page", "x-per-page", "x-total", "x-total-pages", "x-next-page", "x-prev-page"].map((k) => [
        k,
        res.headers.get(k),
      ]),
    ),
  ).toEqual({
    "x-page": "2",
    "x-per-page": "2",
    "x-total": "5",
    "x-total-pages": "3",
    "x-next-page": "3",
    "x-prev-page": "1",
  });
  const link = res.headers.get("link")!;
  expect(link).toContain(
    '<http://ci.test/api/v4/projects?owned=true&per_page=2&page=3&order_by=id&sort=asc>; rel="next"',
  );
  expect(link).toContain('rel="prev"');
  expect(link).toContain('rel="first"');
  expect(link).toContain('rel="last"');
  const last = await h.request("/projects?owned=true&per_page=2&page=3", { token });
  expect(last.headers.get("x-next-page")).toBe("");
  expect((await h.request("/projects?per_page=1000", { token })).headers.get("x-per-page")).toBe("100");
  expect(await (await h.request("/projects?page=abc", { token })).json()).toEqual({ error: "page is invalid" });
});

test("update needs Maintainer, visibility needs Owner; delete needs Owner and answers 202", async () => {
  const { user: owner, token: ownerToken } = await h.user("hank");
  const { user: maint, token: maintToken } = await h.user("ivy");
  const p = h.project(owner, { name: "upd" });
  h.member(p, maint, ROLES.maintainer);
  const put = await h.request(`/projects/${p.id}`, {
    token: maintToken,
    method: "PUT",
    json: { description: "new", ci_config: "x:\n  script: [a]\n" },
  });
  expect(put.status).toBe(200);
  expect(await put.json()).toMatchObject({ description: "new", ci_config: "x:\n  script: [a]\n" });
  expect(
    (await h.request(`/projects/${p.id}`, { token: maintToken, method: "PUT", json: { visibility: "public" } })).status,
  ).toBe(403);
  expect(
    (await h.request(`/projects/${p.id}`, { token: ownerToken, method: "PUT", json: { visibility: "public" } })).status,
  ).toBe(200);
  expect((await h.request(`/projects/${p.id}`, { token: maintToken, method: "DELETE" })).status).toBe(403);
  const del = await h.request(`/projects/${p.id}`, { token: ownerToken, method: "DELETE" });
  expect([del.status, await del.json()]).toEqual([202, { message: "202 Accepted" }]);
  expect((await h.request(`/projects/${p.id}`, { token: ownerToken })).status).toBe(404);
});
