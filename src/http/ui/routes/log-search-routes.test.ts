import { afterEach, beforeEach, expect, test } from "bun:test";
import { insertTestJob, insertTestPipeline } from "../../../store/store.testing.ts";
import { makeUiHarness, type UiHarness } from "../ui-harness.testing.ts";

let h: UiHarness;
beforeEach(async () => {
  h = await makeUiHarness();
});
afterEach(() => h.close());

test("log search answers matches for readers, a clear 400 for a bad query or token, and 404 to strangers", async () => {
  const alice = await h.visitor("alice");
  const bob = await h.visitor("bob");
  const project = h.project(alice.user!);
  const job = insertTestJob(h.store.repos, insertTestPipeline(h.store.repos, project.id));
  h.traces.append(job.id, new TextEncoder().encode("one\ntwo needle\nthree\n"));
  h.traces.finish(job.id);
  const base = `/alice/${project.path}/-/jobs/${job.id}`;
  const found = await h.get(`${base}/log_search?q=NEEDLE`, alice);
  expect(found.status).toBe(200);
  expect(await found.json()).toMatchObject({ matches: [{ line: 2, offset: 4, text: "two needle" }], next: null });
  const missing = await h.get(`${base}/log_search`, alice);
  expect(missing.status).toBe(400);
  expect(await missing.text()).toContain("q is missing");
  expect((await h.get(`${base}/log_search?q=x&from=garbage`, alice)).status).toBe(400);
  expect((await h.get(`${base}/log_search?q=${"x".repeat(201)}`, alice)).status).toBe(400);
  expect((await h.get(`${base}/log_search?q=needle`, bob)).status).toBe(404);
  const around = await h.get(`${base}/log_chunk?around=4`, alice);
  expect(((await around.json()) as { html: string }).html).toContain('data-n="2">two needle');
  expect((await h.get(`${base}/log_chunk?around=-1`, alice)).status).toBe(400);
});
