import { afterEach, beforeEach, expect, test } from "bun:test";
import { planJob } from "../../../pipeline/pipeline.testing.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { insertTestJobs, testJobRow } from "../../../store/store.testing.ts";
import { makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

let h: UiHarness;
let alice: Visitor;
let project: ProjectRow;
beforeEach(async () => {
  h = await makeUiHarness();
  alice = await h.visitor("alice");
  project = h.project(alice.user!);
  for (let i = 1; i <= 25; i++) {
    h.store.repos.pipelines.insert({
      projectId: project.id,
      iid: i,
      ref: i % 5 === 0 ? "release" : "main",
      sha: `${i}`.padStart(40, "0"),
      source: "push",
      status: i % 2 ? "success" : "failed",
      variables: [],
      yamlVariables: [],
      userId: alice.user!.id,
    });
  }
});
afterEach(() => h.close());

const ids = (html: string) => [...html.matchAll(/>#(\d+)<\/a>/g)].map((m) => Number(m[1]));

test("the list pages by 20, newest first, with links that keep the filters", async () => {
  const first = await (await h.get(`/alice/demo/-/pipelines`, alice)).text();
  expect(ids(first)).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i));
  expect(first).toContain('href="/alice/demo/-/pipelines?page=2" rel="next"');
  expect(ids(await (await h.get(`/alice/demo/-/pipelines?page=2`, alice)).text())).toEqual([5, 4, 3, 2, 1]);
  const filtered = await (await h.get(`/alice/demo/-/pipelines?status=failed&ref=release`, alice)).text();
  expect(ids(filtered)).toEqual([20, 10]);
  expect(filtered).toContain('<option value="failed" selected="">failed</option>');
});

test("odd filter values are ignored rather than failing", async () => {
  const res = await h.get(`/alice/demo/-/pipelines?status=<script>&page=-3`, alice);
  expect(res.status).toBe(200);
  expect(ids(await res.text()).length).toBe(20);
});

test("a pipeline at the job limit: its page asks the database a few questions, not one or more per job", async () => {
  const pipeline = h.store.repos.pipelines.findById(1)!;
  const spec = (i: number) => planJob(`job-${i}`, i % 5, { stage: `s${i % 5}` });
  const rows = (n: number) => Array.from({ length: n }, (_, i) => testJobRow(pipeline, spec(i), alice.user!.id));
  const statements = async () => {
    const sqlite = h.store.sqlite;
    const prepare = sqlite.prepare.bind(sqlite);
    let count = 0;
    sqlite.prepare = ((query: string) => {
      count++;
      return prepare(query);
    }) as typeof sqlite.prepare;
    try {
      const res = await h.get(`/${project.namespace}/${project.path}/-/pipelines/${pipeline.id}`, alice);
      expect(res.status).toBe(200);
      await res.text();
    } finally {
      sqlite.prepare = prepare;
    }
    return count;
  };
  insertTestJobs(h.store.db, rows(10));
  const few = await statements();
  insertTestJobs(h.store.db, rows(990));
  // Whether the session is touched again may differ by one or two; a query per job would add a thousand.
  expect(await statements()).toBeLessThanOrEqual(few + 3);
});
