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

test("without JavaScript the job page searches (?q=) and opens the lines around a hit (?around=&line=)", async () => {
  const alice = await h.visitor("alice");
  const project = h.project(alice.user!);
  const pipeline = await h.queue.service.create({
    projectId: project.id,
    ref: "main",
    source: "web",
    userId: alice.user!.id,
    variables: [],
  });
  const [job] = h.store.repos.jobs.currentOfPipeline(pipeline.id);
  h.traces.append(job!.id, new TextEncoder().encode("one\ntwo needle\nthree\n"));
  h.traces.finish(job!.id);
  const page = `/alice/${project.path}/-/jobs/${job!.id}`;
  const html = await (await h.get(`${page}?q=needle`, alice)).text();
  expect(html).toContain(`action="${page}"`);
  expect(html).toContain("1 matching line.");
  const link = html.match(/href="([^"]*around=4&amp;line=2#L2)"/)?.[1]?.replaceAll("&amp;", "&");
  expect(link).toBe(`${page}?q=needle&around=4&line=2#L2`);
  const around = await (await h.get(link!.replace("#L2", ""), alice)).text();
  expect(around).toContain('<div class="ln ln-hit" id="L2" data-n="2">two needle</div>');
  expect(around).toContain("Showing the lines around line 2.");
  expect((await h.get(`${page}?around=999999&line=2`, alice)).status).toBe(200);
  expect((await h.get(`${page}?q=needle`, await h.visitor("eve"))).status).toBe(404);
});
