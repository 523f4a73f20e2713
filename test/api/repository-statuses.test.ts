// Repository reads and commit statuses over plain HTTP: what refuses bad input, what a job token and a Guest may read.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ROLES } from "../../src/auth/permissions.ts";
import { hashToken } from "../../src/auth/secrets.ts";
import { createWebSession, SESSION_COOKIE } from "../../src/auth/web-sessions.ts";
import type { ProjectRow } from "../../src/store/rows.ts";
import { jobs } from "../../src/store/schema.ts";
import { BASE, type Harness, makeHarness } from "../support/api-harness.ts";
import { makeRepo } from "../support/git-repo.ts";

let h: Harness;
let repo: ReturnType<typeof makeRepo>;
let mirrored: ProjectRow;
let inline: ProjectRow;
beforeAll(async () => {
  h = await makeHarness();
  repo = makeRepo({ ".gitlab-ci.yml": "job:\n  script: [echo hi]\n", "a/b.txt": "bee\n", "文書/說明.md": "hi\n" });
  mirrored = h.project(h.root.user, { name: "mirrored", import_url: repo.dir });
  inline = h.project(h.root.user, { name: "inline", ci_config: "job:\n  script: [echo hi]\n" });
});
afterAll(() => h?.close());

const get = async (path: string, token?: string | null) => {
  const res = await h.request(path, { token });
  return { status: res.status, body: await res.json().catch(() => null) };
};

test("unknown refs, shas, branches and files are 404s naming what is missing; git options never pass as refs", async () => {
  const p = `/projects/${mirrored.id}`;
  expect(await get(`${p}/repository/branches/nope`)).toEqual({
    status: 404,
    body: { message: "404 Branch Not Found" },
  });
  expect((await get(`${p}/repository/commits/${"f".repeat(40)}`)).body.message).toBe("404 Commit Not Found");
  expect((await get(`${p}/repository/commits/--all`)).status).toBe(404);
  expect((await get(`${p}/repository/commits?ref_name=--output=/tmp/x`)).status).toBe(404);
  expect((await get(`${p}/repository/commits/main..main`)).status).toBe(404);
  expect((await get(`${p}/repository/files/a%2F..%2F..%2Fetc%2Fpasswd?ref=main`)).status).toBe(404);
  expect((await get(`${p}/repository/files/a%2Fmissing.txt?ref=main`)).body.message).toBe("404 File Not Found");
  expect((await get(`${p}/repository/files/a%2Fb.txt`)).body).toEqual({ error: "ref is missing" });
  const raw = await h.request(`${p}/repository/files/a%2Fb.txt/raw?ref=${repo.sha}`);
  expect(await raw.text()).toBe("bee\n");
  expect(raw.headers.get("X-Gitlab-Blob-Id")).toMatch(/^[0-9a-f]{40}$/);
  const unicode = await h.request(`${p}/repository/files/${encodeURIComponent("文書/說明.md")}?ref=main`, {
    method: "HEAD",
  });
  expect(unicode.status).toBe(200);
  expect(decodeURI(unicode.headers.get("X-Gitlab-File-Path")!)).toBe("文書/說明.md");
  expect(unicode.headers.get("X-Gitlab-Size")).toBe("3");
});

test("a project whose CI file is inline has no repository: its reads are 404, its pipelines' shas still take statuses", async () => {
  expect((await get(`/projects/${inline.id}/repository/branches`)).body.message).toBe("404 Repository Not Found");
  const { pipeline } = h.pipeline(inline, { jobs: [{ name: "job", status: "success" }] });
  const set = await h.request(`/projects/${inline.id}/statuses/${pipeline.sha}`, { json: { state: "pending" } });
  expect(set.status).toBe(201);
  expect(await set.json()).toMatchObject({ name: "default", ref: "main", status: "pending", pipeline_id: pipeline.id });
  const unknown = await h.request(`/projects/${inline.id}/statuses/${"b".repeat(40)}`, { json: { state: "pending" } });
  expect(unknown.status).toBe(404);
});

test("commit statuses refuse unknown states, non-http target URLs and over-long names; a second post moves the state", async () => {
  const path = `/projects/${mirrored.id}/statuses/${repo.sha}`;
  const refused = async (json: unknown) => {
    const res = await h.request(path, { json });
    return { status: res.status, body: await res.json() };
  };
  expect(await refused({ state: "great" })).toEqual({
    status: 400,
    body: { error: "state does not have a valid value" },
  });
  expect((await refused({ state: "success", target_url: "javascript:alert(1)" })).body.error).toBe(
    "target_url is invalid",
  );
  expect((await refused({ state: "success", name: "x".repeat(256) })).status).toBe(400);
  expect((await refused({ state: "success", pipeline_id: 999999 })).status).toBe(404);

  const first = await (await h.request(path, { json: { state: "running", context: "lint" } })).json();
  expect(first).toMatchObject({ name: "lint", status: "running", finished_at: null });
  expect(first.started_at).not.toBeNull();
  const second = await (
    await h.request(path, { json: { state: "failed", name: "lint", description: "2 errors" } })
  ).json();
  expect(second).toMatchObject({ id: first.id, status: "failed", description: "2 errors" });
  expect(second.finished_at).not.toBeNull();
  const listed = (await get(`/projects/${mirrored.id}/repository/commits/${repo.sha}/statuses`)).body;
  expect(listed.filter((s: { name: string }) => s.name === "lint")).toHaveLength(1);
});

test("Guests may not read code; a running job's CI_JOB_TOKEN reads its own project's repository and no other", async () => {
  const guest = await h.user("guest-reader");
  h.member(mirrored, guest.user, ROLES.guest);
  expect((await get(`/projects/${mirrored.id}/repository/branches`, guest.token)).status).toBe(403);
  expect((await get(`/projects/${mirrored.id}/repository/commits/${repo.sha}/statuses`, guest.token)).status).toBe(403);

  const {
    jobs: [job],
  } = h.pipeline(mirrored, { userId: h.root.user.id, jobs: [{ name: "reader", status: "running" }] });
  h.db
    .update(jobs)
    .set({ tokenHash: hashToken("glcbt-reader-token") })
    .where(eq(jobs.id, job!.id))
    .run();
  const asJob = (path: string) => h.request(path, { token: null, headers: { "JOB-TOKEN": "glcbt-reader-token" } });
  expect((await asJob(`/projects/${mirrored.id}/repository/files/a%2Fb.txt?ref=main`)).status).toBe(200);
  expect((await asJob(`/projects/${inline.id}/repository/branches`)).status).toBe(404);
  const setByJob = await h.request(`/projects/${mirrored.id}/statuses/${repo.sha}`, {
    token: null,
    headers: { "JOB-TOKEN": "glcbt-reader-token" },
    json: { state: "success" },
  });
  expect(setByJob.status).toBe(403);
});

test("booleans as python-gitlab sends them (True/False) filter; nonsense is still a 400", async () => {
  expect((await get("/projects?owned=True&membership=False")).status).toBe(200);
  expect((await get("/users?active=TRUE&blocked=no")).status).toBe(200);
  expect(await get("/projects?owned=maybe")).toEqual({ status: 400, body: { error: "owned is invalid" } });
});

test("a file over 10 MiB is refused as JSON (400 naming its size) and streamed whole from …/raw", async () => {
  const big = "x".repeat(11 * 1024 * 1024);
  const bigRepo = makeRepo({ ".gitlab-ci.yml": "job:\n  script: [echo hi]\n", "big.txt": big });
  const project = h.project(h.root.user, { name: "big", import_url: bigRepo.dir });
  const json = await h.request(`/projects/${project.id}/repository/files/big.txt?ref=main`);
  expect(json.status).toBe(400);
  expect((await json.json()).message).toContain(`big.txt is ${big.length} bytes`);
  const raw = await h.request(`/projects/${project.id}/repository/files/big.txt/raw?ref=main`);
  expect(raw.status).toBe(200);
  expect((await raw.text()).length).toBe(big.length);
});

test("the web UI offers the mirror's branches and tags to run a pipeline on, and shows the pipeline's commit", async () => {
  repo.git("branch", "topic/ui");
  repo.git("tag", "v2.0");
  const project = h.project(h.root.user, { name: "ui-mirror", import_url: repo.dir });
  const { cookieValue } = createWebSession(h.db, h.root.user.id, {});
  const page = (path: string) =>
    h.app.request(`${BASE}${path}`, { headers: { cookie: `${SESSION_COOKIE}=${cookieValue}` } });
  const form = await (await page(`/root/${project.path}/-/pipelines/new`)).text();
  for (const ref of ["main", "topic/ui", "v2.0"]) expect(form).toContain(`<option value="${ref}">`);

  const made = await (await h.request(`/projects/${project.id}/pipeline`, { json: { ref: "main" } })).json();
  const shown = await (await page(`/root/${project.path}/-/pipelines/${made.id}`)).text();
  expect(shown).toContain(">initial</span>");
  expect(shown).toContain('title="t &lt;t@x&gt;"');
});

test("rules see the commit: a `[skip tests]` message rules a job out, the author's name selects another", async () => {
  const ci = `
build:
  script: [echo build]
test:
  rules:
    - if: $CI_COMMIT_MESSAGE =~ /\\[skip tests\\]/
      when: never
    - when: on_success
  script: [echo test]
by-t:
  rules:
    - if: $CI_COMMIT_AUTHOR == "t <t@x>" && $CI_COMMIT_REF_PROTECTED == "true"
  script: [echo t]
`;
  const skipping = makeRepo({ ".gitlab-ci.yml": ci });
  skipping.commit({ "docs.md": "docs\n" }, "Docs only [skip tests]");
  const project = h.project(h.root.user, { name: "rules-commit", import_url: skipping.dir });
  const made = await (await h.request(`/projects/${project.id}/pipeline`, { json: { ref: "main" } })).json();
  const listed = await (await h.request(`/projects/${project.id}/pipelines/${made.id}/jobs`)).json();
  expect(listed.map((j: { name: string }) => j.name).sort()).toEqual(["build", "by-t"]);
  expect(listed[0].commit).toMatchObject({ title: "Docs only [skip tests]", author_name: "t", author_email: "t@x" });
});

test("a pipeline on an annotated tag sees its message (CI_COMMIT_TAG_MESSAGE)", async () => {
  const ci =
    'release:\n  rules:\n    - if: $CI_COMMIT_TAG_MESSAGE == "Ship it"\n  script: [echo ship]\nother:\n  script: [echo x]\n';
  const tagged = makeRepo({ ".gitlab-ci.yml": ci });
  tagged.git("tag", "-a", "v3", "-m", "Ship it");
  const project = h.project(h.root.user, { name: "tag-message", import_url: tagged.dir });
  const jobNames = async (ref: string) => {
    const made = await (await h.request(`/projects/${project.id}/pipeline`, { json: { ref } })).json();
    const listed = await (await h.request(`/projects/${project.id}/pipelines/${made.id}/jobs`)).json();
    return listed.map((j: { name: string }) => j.name).sort();
  };
  expect(await jobNames("v3")).toEqual(["other", "release"]);
  expect(await jobNames("main")).toEqual(["other"]);
});

test("branches say whether they are merged into the default branch, protected, and pushable by the caller", async () => {
  const branching = makeRepo({ ".gitlab-ci.yml": "job:\n  script: [echo hi]\n" });
  branching.git("branch", "released");
  branching.git("checkout", "-q", "-b", "ahead");
  branching.commit({ "new.txt": "new\n" }, "ahead of main");
  const project = h.project(h.root.user, { name: "branching", import_url: branching.dir });
  const dev = await h.user("branch-dev");
  h.member(project, dev.user, ROLES.developer);
  const listed = (await get(`/projects/${project.id}/repository/branches`, dev.token)).body;
  const facts = Object.fromEntries(
    listed.map((b: { name: string; merged: boolean; protected: boolean; can_push: boolean; default: boolean }) => [
      b.name,
      [b.merged, b.protected, b.can_push, b.default],
    ]),
  );
  expect(facts).toEqual({
    ahead: [false, false, true, false],
    main: [false, true, false, true],
    released: [true, false, true, false],
  });
});
