import { expect, test } from "bun:test";
import type { PlanJob } from "../pipeline/types.ts";
import { openStore } from "./db.ts";
import { transaction } from "./repositories.ts";
import { insertTestJobs } from "./store.testing.ts";

const newPipeline = (projectId: number, iid: number) => ({
  projectId,
  iid,
  ref: "main",
  sha: "0".repeat(40),
  source: "api",
  variables: [],
  yamlVariables: [],
});

test("a transaction hands out repositories bound to it: all of it is stored, or nothing when it throws", () => {
  const { db, repos } = openStore(":memory:");
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const stored = transaction(db, (tx) => {
    const iid = tx.projects.nextPipelineIid(project.id);
    return tx.pipelines.insert(newPipeline(project.id, iid));
  });
  expect(stored.iid).toBe(1);
  expect(() =>
    transaction(db, (tx) => {
      tx.pipelines.insert(newPipeline(project.id, tx.projects.nextPipelineIid(project.id)));
      throw new Error("compile failed half-way");
    }),
  ).toThrow("compile failed half-way");
  expect(repos.pipelines.count()).toBe(1);
  expect(repos.projects.findById(project.id)!.pipelineIidSeq).toBe(1);
});

test("pages hold at most perPage rows after offset, and the total counts every matching row", () => {
  const { repos } = openStore(":memory:");
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const other = repos.projects.insert({ name: "q", path: "q", namespace: "n" });
  for (let iid = 1; iid <= 7; iid++) repos.pipelines.insert(newPipeline(project.id, iid));
  repos.pipelines.insert(newPipeline(other.id, 1));
  const order = { by: "id", sort: "asc" } as const;
  const page = repos.pipelines.page(project.id, {}, order, { perPage: 3, offset: 6 });
  expect(page.total).toBe(7);
  expect(page.rows.map((r) => r.iid)).toEqual([7]);
  expect(repos.pipelines.page(project.id, { ref: "nope" }, order, { perPage: 3, offset: 0 })).toEqual({
    rows: [],
    total: 0,
  });
});

test("jobs inserted many at once are stored as one by one: given columns, defaults for the rest, in order", () => {
  const { db, repos } = openStore(":memory:");
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const pipeline = repos.pipelines.insert(newPipeline(project.id, 1));
  const base = { pipelineId: pipeline.id, projectId: project.id, stage: "test", stageIdx: 0 };
  const spec = (name: string) => ({ name, script: ["echo 'quoted' \"and\" ünïcode"] }) as unknown as PlanJob;
  db.transaction((tx) =>
    insertTestJobs(tx, [
      { ...base, name: "a", spec: spec("a"), allowFailure: true },
      { ...base, name: "b", spec: spec("b"), allowFailure: false },
      { ...base, name: "c", spec: spec("c"), status: "manual" }, // another set of columns
    ]),
  );
  const one = repos.jobs.insert({ ...base, name: "d", spec: spec("d"), allowFailure: true });
  const rows = repos.jobs.allOfPipeline(pipeline.id);
  expect(rows.map((j) => [j.name, j.status, j.allowFailure, j.retried, j.traceSize, j.spec])).toEqual([
    ["a", "created", true, false, 0, spec("a")],
    ["b", "created", false, false, 0, spec("b")],
    ["c", "manual", false, false, 0, spec("c")],
    ["d", "created", true, false, 0, spec("d")],
  ]);
  const { id: _a, name: _n, spec: _s, createdAt: manyAt, ...many } = rows[0]!;
  const { id: _b, name: _m, spec: _t, createdAt: oneAt, ...single } = one;
  expect(many).toEqual(single);
  expect(Math.abs(manyAt.getTime() - oneAt.getTime())).toBeLessThan(60_000);
});
