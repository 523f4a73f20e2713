// `include:project` through the API: a pipeline reads another project's CI file at a ref, only when the
// pipeline's user may read that project's code.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { ROLES } from "../../src/auth/permissions.ts";
import type { ProjectRow } from "../../src/store/rows.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";
import { makeRepo } from "../support/git-repo.ts";

let h: Harness;
let templates: ProjectRow;
let app: ProjectRow;
let reader: Awaited<ReturnType<Harness["user"]>>;
let outsider: Awaited<ReturnType<Harness["user"]>>;
const dirs: string[] = [];

const APP_CI = `include:
  - project: \${TEMPLATES}
    ref: v1
    file: [ci/build.yml, ci/test.yml]
stages: [build, test]
`;

beforeAll(async () => {
  h = await makeHarness();
  const tplRepo = makeRepo({
    ".gitlab-ci.yml": "noop: {script: x}\n",
    "ci/build.yml": "build: {stage: build, script: make}\n",
    "ci/test.yml": "include: ci/shared.yml\ntest: {stage: test, extends: .shared, script: test}\n",
    "ci/shared.yml": ".shared: {tags: [shared]}\n",
  });
  tplRepo.git("tag", "v1");
  tplRepo.commit({ "ci/build.yml": "build-after-v1: {stage: build, script: make}\n" });
  reader = await h.user(`reader${Math.random().toString(36).slice(2, 8)}`);
  outsider = await h.user(`outsider${Math.random().toString(36).slice(2, 8)}`);
  templates = h.project(h.root.user, { visibility: "private", import_url: tplRepo.dir });
  dirs.push(tplRepo.dir);
  h.member(templates, reader.user, ROLES.reporter);
  // A guest of a private project may see it but not read its code (GitLab's download_code needs Reporter).
  h.member(templates, outsider.user, ROLES.guest);
  // The templates project's mirror is never fetched on its own: the including pipeline fetches it.
  const path = `${h.root.user.username}/${templates.path}`;
  const appRepo = makeRepo({ ".gitlab-ci.yml": APP_CI.replace("${TEMPLATES}", path) });
  dirs.push(appRepo.dir);
  app = h.project(h.root.user, { visibility: "private", import_url: appRepo.dir });
  h.member(app, reader.user, ROLES.maintainer);
  h.member(app, outsider.user, ROLES.maintainer);
});
afterAll(() => {
  h?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test("a user who can read the other project gets its files at the ref, nested includes from that project", async () => {
  const res = await h.request(`/projects/${app.id}/pipeline`, { token: reader.token, json: { ref: "main" } });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: number };
  const jobs = (await (
    await h.request(`/projects/${app.id}/pipelines/${id}/jobs`, { token: reader.token })
  ).json()) as {
    name: string;
    tag_list: string[];
  }[];
  expect(jobs.map((j) => j.name).sort()).toEqual(["build", "test"]);
  expect(jobs.find((j) => j.name === "test")!.tag_list).toEqual(["shared"]);
});

test("a user who cannot read the other project gets GitLab's not-found-or-denied message, and no pipeline", async () => {
  const before = (await (await h.request(`/projects/${app.id}/pipelines`)).json()) as unknown[];
  const res = await h.request(`/projects/${app.id}/pipeline`, { token: outsider.token, json: { ref: "main" } });
  expect(res.status).toBe(400);
  const body = JSON.stringify(await res.json());
  expect(body).toContain(
    "not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.",
  );
  const after = (await (await h.request(`/projects/${app.id}/pipelines`)).json()) as unknown[];
  expect(after.length).toBe(before.length);
});

test("lint of the including project follows the same permission", async () => {
  const content = APP_CI.replace("${TEMPLATES}", `${h.root.user.username}/${templates.path}`);
  const lint = async (token: string) =>
    (await (await h.request(`/projects/${app.id}/ci/lint`, { token, json: { content } })).json()) as {
      valid: boolean;
      errors: string[];
    };
  expect((await lint(reader.token)).valid).toBe(true);
  const denied = await lint(outsider.token);
  expect(denied.valid).toBe(false);
  expect(denied.errors.join("\n")).toContain("not found or access denied!");
});
