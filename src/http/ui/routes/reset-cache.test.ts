// Settings → CI/CD "Clear runner caches": the button is there, and pressing it bumps the project's cache index.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

let h: UiHarness;
let root: Visitor;
beforeEach(async () => {
  h = await makeUiHarness();
  root = await h.visitor("root", { admin: true });
});
afterEach(() => h.close());

test("Clear runner caches: later cache keys end in the next index; the page says so", async () => {
  const p = h.project(root.user!);
  const settings = `/root/${p.path}/-/settings/ci_cd`;
  const page = await (await h.get(settings, root)).text();
  expect(page).toContain(`action="${settings}/reset_cache"`);
  expect(page).toContain("Clear runner caches");
  const res = await h.post(`${settings}/reset_cache`, {}, root);
  expect(res.status).toBe(303);
  expect(h.store.repos.projects.findById(p.id)!.jobsCacheIndex).toBe(1);
  const after = await (await h.get(res.headers.get("location")!, root)).text();
  expect(after).toContain("<code>-2</code>");
});
