// New project "Push here with git push": a project without import_url or inline YAML, whose settings show the remote.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

let h: UiHarness;
let root: Visitor;
beforeEach(async () => {
  h = await makeUiHarness();
  root = await h.visitor("root", { admin: true });
});
afterEach(() => h.close());

test("a project made to be pushed to has no other source and shows its git remote", async () => {
  const res = await h.post("/projects", { name: "Pushed", source: "push", ci_config: "", import_url: "" }, root);
  expect(res.status).toBe(303);
  const row = h.store.repos.projects.findByFullPath("root", "pushed")!;
  expect(row).toMatchObject({ importUrl: null, ciConfig: null });
  const settings = await (await h.get(`/${row.namespace}/${row.path}/-/settings/ci_cd`, root)).text();
  expect(settings).toContain(`git remote add porthole http://ci.test/${row.namespace}/${row.path}.git`);
});
