// Issue 14: a pipeline includes a CI/CD component with inputs from another porthole project (and a remote file),
// its jobs run with the interpolated values; the component's project is read only by users who may read its code;
// lint gives the answer pipeline creation gives, with merged_yaml expanded. (Remote files from private addresses:
// test/security/include-remote-ssrf.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { ROLES } from "../../src/auth/permissions.ts";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import { members } from "../../src/store/schema.ts";
import { apiFetch } from "../support/api-fetch.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const GREET = (version: string) => `spec:
  component: [version, reference]
  inputs:
    name:
      description: who is greeted
    times:
      type: number
      default: 1
    stage:
      default: test
      options: [test, deploy]
---
"greet-$[[ inputs.name ]]":
  stage: $[[ inputs.stage ]]
  script:
    - echo hello $[[ inputs.name | posix_escape ]] "x$[[ inputs.times ]] from ${version}"
    - echo "component version=$[[ component.version ]] reference=$[[ component.reference ]]"
`;

const marker = Math.random().toString(36).slice(2, 8);
const dirs: string[] = [];
let t: TestPorthole;
let remoteServer: ReturnType<typeof Bun.serve>;
let components: { id: number; path_with_namespace: string };
let app: { id: number; path_with_namespace: string };
let appRepo: ReturnType<typeof makeRepo>;
let componentsRepo: ReturnType<typeof makeRepo>;
let outsider: string;

async function project(
  name: string,
  files: Record<string, string>,
  tags: [string, Record<string, string>][] = [],
  repo = makeRepo(files),
) {
  for (const [tag, more] of tags) {
    repo.git("tag", tag);
    repo.commit(more);
  }
  dirs.push(repo.dir);
  const res = await t.api("/projects", {
    method: "POST",
    json: { name: `${name}-${marker}`, import_url: repo.dir, visibility: "private" },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; path_with_namespace: string };
}

beforeAll(async () => {
  remoteServer = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req) =>
      new URL(req.url).pathname === "/shared.yml"
        ? new Response('remote-check:\n  script: [echo "remote file read"]\n')
        : new Response("no", { status: 404 }),
  });
  t = await startTestPorthole({ limits: { import_url_allowlist: ["127.0.0.1"], include_remote_http: true } });
  // The component's versions: tag 1.0.0, then tag 1.2.0 (the newest), then a newer commit on main.
  componentsRepo = makeRepo({
    "README.md": "components\n",
    "templates/greet.yml": GREET("1.0.0"),
    "templates/vars/template.yml":
      "spec:\n  inputs:\n    v:\n---\nvars:\n  script: 'echo $[[ inputs.v | expand_vars ]]'\n",
  });
  components = await project(
    "components",
    {},
    [
      ["1.0.0", { "templates/greet.yml": GREET("1.2.0") }],
      ["1.2.0", { "templates/greet.yml": GREET("main") }],
    ],
    componentsRepo,
  );
  appRepo = makeRepo({
    ".gitlab-ci.yml": `include:
  - component: $CI_SERVER_FQDN/${components.path_with_namespace}/greet@~latest
    inputs:
      name: porthole world
      times: 3
  - component: $CI_SERVER_FQDN/${components.path_with_namespace}/greet@1.0
    inputs: {name: old}
  - remote: http://127.0.0.1:${remoteServer.port}/shared.yml
`,
    "ci/nested.yml": `include:
  - component: $CI_SERVER_FQDN/${components.path_with_namespace}/greet@1.0.0
    inputs: {name: nested, stage: deploy}
`,
  });
  app = await project("app", {}, [], appRepo);
  const db = t.porthole.store.db;
  const user = insertTestUser(db, { username: `outsider${marker}` });
  outsider = createPersonalAccessToken(db, { userId: user.id, name: "t", scopes: ["api"] }).token;
  // A Maintainer of the app, nothing of the components project (private): the component cannot be read.
  db.insert(members).values({ projectId: app.id, userId: user.id, accessLevel: ROLES.maintainer }).run();
});
afterAll(async () => {
  remoteServer?.stop(true);
  await t?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function trace(jobId: number, expected: RegExp): Promise<string> {
  return waitFor(`job ${jobId}'s log`, async () => {
    const text = await (await t.api(`/projects/${app.id}/jobs/${jobId}/trace`)).text();
    return expected.test(text) ? text : null;
  });
}

describe("include:component across porthole projects", () => {
  test("the jobs run with the inputs interpolated, ~latest the newest tag, 1.0 the newest 1.0.x", async () => {
    const res = await t.api(`/projects/${app.id}/pipeline`, { method: "POST", json: { ref: "main" } });
    const body = (await res.json()) as { id: number };
    expect([res.status, body]).toEqual([201, expect.objectContaining({ id: expect.any(Number) })]);
    const jobs = (await (await t.api(`/projects/${app.id}/pipelines/${body.id}/jobs`)).json()) as {
      id: number;
      name: string;
    }[];
    const byName = Object.fromEntries(jobs.map((j) => [j.name, j.id]));
    expect(Object.keys(byName).sort()).toEqual(["greet-old", "greet-porthole world", "remote-check"]);
    const latest = await trace(byName["greet-porthole world"]!, /^component version/m);
    expect(latest).toContain("hello porthole world x3 from 1.2.0");
    expect(latest).toContain("component version=1.2.0 reference=~latest");
    const old = await trace(byName["greet-old"]!, /^component version/m);
    expect(old).toContain("hello old x1 from 1.0.0");
    expect(old).toContain("component version=1.0.0 reference=1.0");
    expect(await trace(byName["remote-check"]!, /remote file read/)).toContain("remote file read");
  });

  test("a user who may not read the component's project gets GitLab's message and no pipeline", async () => {
    const res = await apiFetch(t.url, outsider, `/projects/${app.id}/pipeline`, {
      method: "POST",
      json: { ref: "main" },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(
      `greet@~latest' - project does not exist or you don't have sufficient permissions`,
    );
    const lint = (await (
      await apiFetch(t.url, outsider, `/projects/${app.id}/ci/lint`, {
        method: "POST",
        json: { content: await ciFile() },
      })
    ).json()) as { valid: boolean; errors: string[] };
    expect(lint.valid).toBe(false);
    expect(lint.errors.join("\n")).toContain("project does not exist or you don't have sufficient permissions");
  });
});

async function ciFile(): Promise<string> {
  const res = await t.api(`/projects/${app.id}/repository/files/.gitlab-ci.yml/raw?ref=main`);
  expect(res.status).toBe(200);
  return res.text();
}

async function lint(content: string) {
  const res = await t.api(`/projects/${app.id}/ci/lint`, {
    method: "POST",
    json: { content, include_merged_yaml: true },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { valid: boolean; errors: string[]; merged_yaml: string };
}

/** The errors creating a pipeline gives for `content` committed on a branch of its own. */
async function createErrors(content: string): Promise<string[]> {
  const branch = `case-${Math.random().toString(36).slice(2, 8)}`;
  appRepo.git("checkout", "-q", "-b", branch, "main");
  appRepo.commit({ ".gitlab-ci.yml": content });
  appRepo.git("checkout", "-q", "main");
  const res = await t.api(`/projects/${app.id}/pipeline`, { method: "POST", json: { ref: branch } });
  if (res.status === 201) return [];
  return ((await res.json()) as { message: { base: string[] } }).message.base;
}

describe("lint gives pipeline creation's answer", () => {
  test("merged_yaml has the components, their inputs and the remote file expanded", async () => {
    const result = await lint(await ciFile());
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.merged_yaml).toContain('echo hello porthole\\ world "x3 from 1.2.0"');
    expect(result.merged_yaml).toContain('echo hello old "x1 from 1.0.0"');
    expect(result.merged_yaml).toContain("remote-check:");
    expect(result.merged_yaml).not.toContain("$[[");
    // GitLab's `includes`: each file read, and the project and commit of the file that included it.
    const host = new URL(t.url).host;
    const context = { context_project: app.path_with_namespace, context_sha: appRepo.git("rev-parse", "main") };
    const component = (version: string) => ({
      type: "component",
      location: `${host}/${components.path_with_namespace}/greet@${version}`,
      blob: null,
      raw: null,
      extra: {},
      ...context,
    });
    const remote = `http://127.0.0.1:${remoteServer.port}/shared.yml`;
    expect((result as unknown as { includes: unknown[] }).includes).toEqual([
      component("~latest"),
      component("1.0"),
      { type: "remote", location: remote, blob: null, raw: remote, extra: {}, ...context },
    ]);
  });

  test("the same errors for wrong inputs, unknown inputs and a missing version", async () => {
    const address = `$CI_SERVER_FQDN/${components.path_with_namespace}/greet`;
    const host = new URL(t.url).host;
    const cases: [string, string][] = [
      [
        `{component: "${address}@1.2.0", inputs: {name: x, stage: build}}`,
        "`build` cannot be used because it is not in the list of allowed options",
      ],
      [`{component: "${address}@1.2.0", inputs: {name: x, colour: red}}`, "unknown input arguments: colour"],
      [`{component: "${address}@1.2.0", inputs: {times: 2}}`, "`name` input: required value has not been provided"],
      [
        `{component: "${address}@9.9.9"}`,
        `Component '${host}/${components.path_with_namespace}/greet@9.9.9' - content not found`,
      ],
    ];
    for (const [entry, message] of cases) {
      const content = `include:\n  - ${entry}\nx: {script: x}\n`;
      const linted = await lint(content);
      expect(linted.valid).toBe(false);
      expect(linted.errors.join("\n")).toContain(message);
      expect(await createErrors(content)).toEqual(linted.errors);
    }
  });
});

test("expand_vars: a public variable is expanded, a masked one refused, at lint and at creation alike", async () => {
  for (const [key, masked] of [
    ["GREETING", false],
    ["SECRET_TOKEN", true],
  ] as const) {
    const res = await t.api(`/projects/${app.id}/variables`, {
      method: "POST",
      json: { key, value: `${key.toLowerCase()}-value-123`, masked },
    });
    expect(res.status).toBe(201);
  }
  const address = `$CI_SERVER_FQDN/${components.path_with_namespace}/vars@1.2.0`;
  const content = (value: string) => `include:\n  - component: ${address}\n    inputs: {v: "${value}"}\n`;
  const refused = await lint(content("$SECRET_TOKEN"));
  expect(refused.errors.join("\n")).toContain("variable expansion error: masked variables cannot be expanded");
  expect(await createErrors(content("$SECRET_TOKEN"))).toEqual(refused.errors);
  expect(await createErrors(content("$GREETING"))).toEqual([]);
});

test("a component included from an included local file is read too, from its project as it is now", async () => {
  // A new release the server has not fetched yet: the nested include fetches the component's mirror.
  componentsRepo.commit({ "templates/greet.yml": GREET("1.3.0") });
  componentsRepo.git("tag", "1.3.0");
  const latest = `$CI_SERVER_FQDN/${components.path_with_namespace}/greet@~latest`;
  appRepo.commit({ "ci/latest.yml": `include:\n  - component: ${latest}\n    inputs: {name: newest}\n` });
  expect((await lint("include: ci/latest.yml\n")).merged_yaml).toContain('echo hello newest "x1 from 1.3.0"');
  const content = "include: ci/nested.yml\n";
  const linted = await lint(content);
  expect(linted.errors).toEqual([]);
  expect(linted.merged_yaml).toContain("greet-nested:\n  stage: deploy\n");
  expect(await createErrors(content)).toEqual([]);
});
