import { expect, test } from "bun:test";
import { openStore } from "./db.ts";
import { transaction } from "./repositories.ts";

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
