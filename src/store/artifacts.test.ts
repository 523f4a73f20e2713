// The artifact store on a real SQLite file and folder: expiry, keep, delete, and keep-latest per ref.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { ArtifactRefused } from "../domain/artifacts.ts";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { type ArtifactStore, createArtifactStore } from "./artifacts.ts";
import { openStore, type Store } from "./db.ts";
import type { JobRow } from "./rows.ts";
import { jobs, pipelines, projects, users } from "./schema.ts";

let dir: string;
let store: Store;
let artifacts: ArtifactStore;
let projectId: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "porthole-artifact-store-"));
  store = openStore(join(dir, "db.sqlite"));
  artifacts = createArtifactStore(store.db, join(dir, "artifacts"), { maxBytes: 1000, maxFiles: 10 });
  store.db.insert(users).values({ username: "u", name: "u", email: "u@x", passwordHash: "x" }).run();
  projectId = store.db
    .insert(projects)
    .values({ name: "p", path: "p", namespace: "u", ciConfig: "x" })
    .returning()
    .get().id;
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let iid = 0;
function jobIn(status: "success" | "failed", ref = "main"): JobRow {
  const p = store.db
    .insert(pipelines)
    .values({
      projectId,
      iid: ++iid,
      ref,
      sha: "a".repeat(40),
      source: "api",
      status,
      variables: [],
      yamlVariables: [],
    })
    .returning()
    .get();
  return store.db
    .insert(jobs)
    .values({
      pipelineId: p.id,
      projectId,
      name: "build",
      stage: "test",
      stageIdx: 0,
      status,
      spec: planJob("build", 0),
    })
    .returning()
    .get();
}
const bytes = (n: number) => new Uint8Array(n).fill(7);
const past = () => new Date(Date.now() - 1000);

test("an expired archive disappears from list and find and says so; sweeping removes the file", () => {
  jobIn("success");
  const old = jobIn("success", "feature"); // not the newest successful pipeline of its ref
  jobIn("success", "feature");
  const row = artifacts.save(old, "archive", bytes(10), past());
  expect(artifacts.find(old.id, "archive")).toBeUndefined();
  expect(artifacts.list(old.id)).toEqual([]);
  expect(artifacts.expired(old.id, "archive")).toBe(true);
  expect(existsSync(join(dir, "artifacts", String(projectId), String(old.id), "artifacts.zip"))).toBe(true);
  expect(artifacts.sweepExpired()).toBe(1);
  expect(artifacts.read(row)).toBeNull();
  expect(artifacts.expired(old.id, "archive")).toBe(true);
  expect(artifacts.sweepExpired()).toBe(0);
});

test("keep latest: the newest successful pipeline of a ref keeps its artifacts past expiry; older ones go", () => {
  const older = jobIn("success");
  const failedLater = jobIn("failed");
  const newest = jobIn("success");
  for (const j of [older, failedLater, newest]) artifacts.save(j, "archive", bytes(10), past());
  expect(artifacts.sweepExpired()).toBe(2);
  expect(artifacts.find(newest.id, "archive")?.size).toBe(10);
  expect(artifacts.find(older.id, "archive")).toBeUndefined();
  // A newer successful pipeline on the ref takes over: the kept ones become expired.
  jobIn("success");
  expect(artifacts.sweepExpired()).toBe(1);
  expect(artifacts.find(newest.id, "archive")).toBeUndefined();
});

test("keep makes an archive permanent; remove deletes rows and files; a replaced upload keeps one row", () => {
  jobIn("success", "other");
  const job = jobIn("failed");
  artifacts.save(job, "archive", bytes(5), past());
  artifacts.save(job, "archive", bytes(6), new Date(Date.now() + 60_000));
  expect(artifacts.list(job.id).map((r) => r.size)).toEqual([6]);
  artifacts.keep(job.id);
  expect(artifacts.find(job.id, "archive")?.expireAt).toBeNull();
  artifacts.save(job, "junit", bytes(3), null);
  expect(artifacts.remove(job.id)).toBe(2);
  expect(artifacts.list(job.id)).toEqual([]);
  expect(readdirSync(join(dir, "artifacts", String(projectId), String(job.id)))).toEqual([]);
});

test("over max size: refused with the setting's name, nothing written; deleting the job deletes its rows", () => {
  const job = jobIn("success");
  expect(() => artifacts.save(job, "archive", bytes(1001), null)).toThrow(ArtifactRefused);
  expect(() => artifacts.save(job, "archive", bytes(1001), null)).toThrow("artifacts.max_size");
  expect(existsSync(join(dir, "artifacts", String(projectId), String(job.id)))).toBe(false);
  artifacts.save(job, "archive", bytes(10), null);
  store.db.delete(jobs).where(eq(jobs.id, job.id)).run();
  expect(artifacts.list(job.id)).toEqual([]);
});

test("deleting a pipeline's or a project's artifacts removes their files", () => {
  const job = jobIn("success");
  artifacts.save(job, "archive", bytes(10), null);
  artifacts.removePipeline(job.pipelineId);
  expect(artifacts.list(job.id)).toEqual([]);
  expect(existsSync(join(dir, "artifacts", String(projectId), String(job.id), "artifacts.zip"))).toBe(false);
  artifacts.save(jobIn("success"), "archive", bytes(10), null);
  artifacts.removeProject(projectId);
  expect(existsSync(join(dir, "artifacts", String(projectId)))).toBe(false);
});

test("a folder that cannot be written: a clear refusal, not a crash, and no row", () => {
  const broken = createArtifactStore(store.db, "/proc/porthole-no-such-place", { maxBytes: 1000, maxFiles: 10 });
  const job = jobIn("success");
  expect(() => broken.save(job, "archive", bytes(10), null)).toThrow("artifacts could not be stored");
  expect(broken.list(job.id)).toEqual([]);
});

test("findMany answers as find does for each job, over more jobs than one query takes", () => {
  const many = Array.from({ length: 3 }, () => jobIn("success", "feature"));
  jobIn("success", "feature"); // the newest of its ref: the others' expired archives are not kept
  const fresh = artifacts.save(many[0]!, "junit", bytes(5), null);
  artifacts.save(many[1]!, "junit", bytes(5), past());
  artifacts.save(many[2]!, "archive", bytes(5), null);
  const ids = [...Array.from({ length: 1200 }, (_, i) => 100_000 + i), ...many.map((j) => j.id)];
  const found = artifacts.findMany(ids, "junit");
  expect([...found.entries()]).toEqual([[many[0]!.id, fresh]]);
  for (const id of ids) expect(found.get(id)).toEqual(artifacts.find(id, "junit"));
});
