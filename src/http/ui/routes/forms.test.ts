// Every form refuses bad input with a message next to the field, keeps what was typed, and stores nothing.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { fieldError, makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

let h: UiHarness;
let root: Visitor;
beforeEach(async () => {
  h = await makeUiHarness();
  root = await h.visitor("root", { admin: true });
});
afterEach(() => h.close());

/** How many rows the SQLite table holds. */
const rows = (table: "projects" | "variables" | "personal_access_tokens" | "runners" | "users") =>
  h.store.sqlite.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
/** The first row of a table as stored. */
const firstVariable = () => h.store.sqlite.query<{ id: number; value: string }, []>("SELECT * FROM variables").get()!;

async function refused(res: Response, field: string, message: RegExp): Promise<string> {
  expect(res.status).toBe(422);
  const html = await res.text();
  expect(fieldError(html, field)).toMatch(message);
  return html;
}

test("New project: blank name, YAML errors with their line, a blocked import URL", async () => {
  await refused(
    await h.post("/projects", { name: "", source: "yaml", ci_config: "a:\n  script: x\n" }, root),
    "name",
    /can't be blank/,
  );
  const html = await refused(
    await h.post(
      "/projects",
      { name: "Shop", source: "yaml", ci_config: "build:\n  stage: build\n  scriptt: echo\n" },
      root,
    ),
    "ci_config",
    /line \d+/,
  );
  expect(html).toContain("scriptt: echo");
  await refused(
    await h.post("/projects", { name: "Shop", source: "git", import_url: "ext::sh -c touch% /tmp/pwned" }, root),
    "import_url",
    /blocked/,
  );
  await refused(
    await h.post("/projects", { name: "Shop", source: "git", import_url: "" }, root),
    "import_url",
    /can't be blank/,
  );
  expect(rows("projects")).toBe(0);
  h.project(root.user!, { name: "Shop" });
  await refused(
    await h.post("/projects", { name: "Shop", source: "yaml", ci_config: "a:\n  script: x\n" }, root),
    "name",
    /already been taken/,
  );
});

test("Run pipeline: a bad variable key; a blank ref", async () => {
  const p = h.project(root.user!);
  const url = `/root/${p.path}/-/pipelines`;
  const html = await refused(
    await h.post(url, { ref: "main", "variables[0][key]": "BAD KEY", "variables[0][value]": "v" }, root),
    "variables[0][key]",
    /letters, digits/,
  );
  expect(html).toContain('value="BAD KEY"');
  await refused(await h.post(url, { ref: "" }, root), "ref", /can't be blank/);
});

test("CI/CD variables: bad key, unmaskable value, duplicate key; a masked value is never shown again", async () => {
  const p = h.project(root.user!);
  const url = `/root/${p.path}/-/settings/ci_cd/variables`;
  await refused(await h.post(url, { key: "no spaces", value: "x" }, root), "key", /letters, digits/);
  await refused(await h.post(url, { key: "TOKEN", value: "short", masked: "1" }, root), "value", /cannot be masked/);
  expect(rows("variables")).toBe(0);
  expect((await h.post(url, { key: "TOKEN", value: "s3cr3t-value-123", masked: "1" }, root)).status).toBe(303);
  await refused(await h.post(url, { key: "TOKEN", value: "other" }, root), "key", /already been taken/);
  const settings = await (await h.get(`/root/${p.path}/-/settings/ci_cd`, root)).text();
  expect(settings).toContain("TOKEN");
  expect(settings).not.toContain("s3cr3t-value-123");
  const id = firstVariable().id;
  expect(await (await h.get(`${url}/${id}/edit`, root)).text()).not.toContain("s3cr3t-value-123");
  expect((await h.post(`${url}/${id}`, { key: "TOKEN", value: "", masked: "1" }, root)).status).toBe(303);
  expect(firstVariable().value).toBe("s3cr3t-value-123");
});

test("Members: an unknown user, a bad expiry date", async () => {
  const p = h.project(root.user!);
  const url = `/root/${p.path}/-/project_members`;
  await refused(
    await h.post(url, { username: "nobody", access_level: "30" }, root),
    "username",
    /no user named nobody/,
  );
  await refused(
    await h.post(url, { username: "root", access_level: "30", expires_at: "2001-01-01" }, root),
    "expires_at",
    /future/,
  );
});

test("Access tokens: a blank name, a past expiry date; a new token is shown once", async () => {
  await refused(
    await h.post("/-/user_settings/personal_access_tokens", { name: "", "scopes[]": "api" }, root),
    "name",
    /can't be blank/,
  );
  await refused(
    await h.post(
      "/-/user_settings/personal_access_tokens",
      { name: "ci", "scopes[]": "api", expires_at: "2001-01-01" },
      root,
    ),
    "expires_at",
    /future/,
  );
  expect(rows("personal_access_tokens")).toBe(0);
  const created = await h.post("/-/user_settings/personal_access_tokens", { name: "ci", "scopes[]": "read_api" }, root);
  expect(created.status).toBe(201);
  expect(await created.text()).toMatch(/value="glpat-[\w-]{20}"/);
  expect(await (await h.get("/-/user_settings/personal_access_tokens", root)).text()).not.toMatch(/glpat-[\w-]{20}/);
});

test("Admin: a user with a short password or a taken name; a runner without description", async () => {
  const before = rows("users");
  await refused(await h.post("/admin/users", { username: "carol", password: "short" }, root), "password", /too short/);
  await refused(
    await h.post("/admin/users", { username: "root", password: "long-enough-1" }, root),
    "username",
    /already been taken/,
  );
  expect(rows("users")).toBe(before);
  await refused(await h.post("/admin/runners", { description: "" }, root), "description", /can't be blank/);
  expect(rows("runners")).toBe(0);
});

test("Pipeline source: invalid YAML is refused with its line and the old config stays", async () => {
  const p = h.project(root.user!);
  const html = await refused(
    await h.post(
      `/root/${p.path}/-/settings/ci_cd/source`,
      { ci_config: "job:\n  script: [\n", default_branch: "main" },
      root,
    ),
    "ci_config",
    /line \d+/,
  );
  expect(html).toContain("script: [");
  await refused(
    await h.post(
      `/root/${p.path}/-/settings/ci_cd/source`,
      { ci_config: "job:\n  script: echo\n", default_branch: "" },
      root,
    ),
    "default_branch",
    /can't be blank/,
  );
  expect(h.store.sqlite.query<{ ci_config: string }, []>("SELECT ci_config FROM projects").get()!.ci_config).toBe(
    "build:\n  script: echo hi\n",
  );
});

test("Trigger tokens: an over-long description; a new token is shown once, then only its prefix", async () => {
  const p = h.project(root.user!);
  await refused(
    await h.post(`/root/${p.path}/-/settings/ci_cd/triggers`, { description: "x".repeat(300) }, root),
    "description",
    /too long/,
  );
  const created = await (
    await h.post(`/root/${p.path}/-/settings/ci_cd/triggers`, { description: "nightly" }, root)
  ).text();
  const token = created.match(/value="(glptt-[\w-]{20})"/)![1]!;
  const later = await (await h.get(`/root/${p.path}/-/settings/ci_cd`, root)).text();
  expect(later).not.toContain(token);
  expect(later).toContain(`${token.slice(0, 10)}…`);
});
