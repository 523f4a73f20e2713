import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRepo } from "../../../../test/support/git-repo.ts";
import { ROLES } from "../../../auth/permissions.ts";
import { makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

let h: UiHarness;
let alice: Visitor;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "porthole-editor-"));
  h = await makeUiHarness(dataDir);
  alice = await h.visitor("alice");
});
afterEach(() => {
  h.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const REPO_CI = "from-the-repo:\n  script: echo repo\n";

test("a git project's editor opens with the file on the default branch, and Run runs that file for the ref", async () => {
  const repo = makeRepo({ ".gitlab-ci.yml": REPO_CI });
  const root = await h.visitor("root", { admin: true });
  const project = h.project(root.user!, { name: "mirrored", ci_config: null, import_url: repo.dir });
  h.member(project, alice.user!, ROLES.developer);
  const editor = `/root/${project.path}/-/ci/editor`;
  const html = await (await h.get(editor, root)).text();
  expect(html).toContain("from-the-repo:");
  expect(html).toContain(`.gitlab-ci.yml on main (commit ${repo.sha.slice(0, 8)})`);
  expect(html).toContain("Runs the CI file committed on the ref");

  // Without JavaScript, Validate posts the typed text: it is linted (against the repository), not saved or run.
  const linted = await (
    await h.post(editor, { content: "typed:\n  script: echo typed\n  when: sometimes\n" }, alice)
  ).text();
  expect(linted).toContain("jobs:typed when should be one of");
  expect(linted).toContain("(line 3, column 9)");
  expect(linted).toMatch(/<span class="gutter-error">3\n<\/span>/);

  const run = await h.post(
    `/root/${project.path}/-/pipelines`,
    { ref: "main", "variables[0][key]": "X", "variables[0][value]": "1" },
    root,
  );
  expect(run.status).toBe(303);
  const pipelineId = Number(run.headers.get("location")!.split("/").at(-1));
  const jobs = h.store.repos.jobs.currentOfPipeline(pipelineId).map((j) => j.name);
  expect(jobs).toEqual(["from-the-repo"]);
});

test("the UI lint answers the merged YAML; Reporters may open the editor but see no Run form; strangers get 404", async () => {
  const project = h.project(alice.user!, {
    ci_config: "base:\n  script: echo base\n.hidden:\n  stage: test\nuse:\n  extends: .hidden\n  script: echo x\n",
  });
  const res = await h.app.request(`http://ci.test/-/ui/ci/lint?project_id=${project.id}`, {
    method: "POST",
    headers: { cookie: alice.cookie, "X-CSRF-Token": alice.csrf, "Content-Type": "application/json" },
    body: JSON.stringify({ content: ".hidden:\n  stage: test\nuse:\n  extends: .hidden\n  script: echo x\n" }),
  });
  const answer = (await res.json()) as { valid: boolean; merged_yaml: string };
  expect(answer.valid).toBe(true);
  expect(answer.merged_yaml).toMatch(/use:\n {2}stage: test/);

  const bob = await h.visitor("bob");
  const editor = `/alice/${project.path}/-/ci/editor`;
  const lintPage = await h.get(`/alice/${project.path}/-/ci/lint`, alice);
  expect(lintPage.status).toBe(301);
  expect(lintPage.headers.get("location")).toBe(editor);
  expect((await h.get(`/alice/${project.path}/-/ci/lint`, bob)).status).toBe(404);
  expect((await h.get(editor, bob)).status).toBe(404);
  h.member(project, bob.user!, ROLES.reporter);
  const html = await (await h.get(editor, bob)).text();
  expect(html).toContain("base:");
  expect(html).not.toContain("Run pipeline</button>");
});

test("Save makes valid text an inline project's configuration; invalid text, Developers and git projects are refused", async () => {
  const project = h.project(alice.user!, { ci_config: "old:\n  script: echo old\n" });
  const save = `/alice/${project.path}/-/ci/editor/save`;
  const stored = () => h.store.repos.projects.findById(project.id)!.ciConfig;
  const invalid = await h.post(save, { content: "new:\n  script: echo new\n  when: sometimes\n" }, alice);
  expect(invalid.status).toBe(422);
  expect(await invalid.text()).toContain("Not saved: the configuration has errors.");
  expect(stored()).toBe("old:\n  script: echo old\n");

  const bob = await h.visitor("bob");
  h.member(project, bob.user!, ROLES.developer);
  expect(await (await h.get(`/alice/${project.path}/-/ci/editor`, bob)).text()).not.toContain("Save configuration");
  expect((await h.post(save, { content: "new:\n  script: echo new\n" }, bob)).status).toBe(403);
  expect((await h.post(save, { content: "new:\n  script: echo new\n" }, alice, null)).status).toBe(422);
  expect(stored()).toBe("old:\n  script: echo old\n");

  const saved = await h.post(save, { content: "new:\n  script: echo new\n" }, alice);
  expect(saved.status).toBe(303);
  expect(saved.headers.get("location")).toBe(`/alice/${project.path}/-/ci/editor`);
  expect(stored()).toBe("new:\n  script: echo new\n");

  const root = await h.visitor("root", { admin: true });
  const repo = makeRepo({ ".gitlab-ci.yml": REPO_CI });
  const git = h.project(root.user!, { name: "git-one", ci_config: null, import_url: repo.dir });
  expect((await h.post(`/root/${git.path}/-/ci/editor/save`, { content: REPO_CI }, root)).status).toBe(400);
});
