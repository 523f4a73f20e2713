import { expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { openStore } from "./db.ts";
import { jobs } from "./schema.ts";
import { insertTestJobs, insertTestPipeline } from "./store.testing.ts";

test("insertTestJobs stores every row as given, whichever columns each row sets, nulls and JSON included", () => {
  const { db, repos } = openStore(":memory:");
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const pipeline = insertTestPipeline(repos, project.id);
  const base = { pipelineId: pipeline.id, projectId: project.id, stage: "test", stageIdx: 0 };
  const scheduledAt = new Date(1_800_000_000_000);
  insertTestJobs(db, [
    { ...base, name: "plain", spec: planJob("plain", 0) },
    { ...base, name: "manual", spec: planJob("manual", 0, { when: "manual" }), status: "manual", allowFailure: true },
    {
      ...base,
      name: "later",
      spec: planJob("later", 0),
      scheduledAt,
      userId: null,
      exitCode: undefined,
      finishedAt: null,
    },
    { ...base, name: "plain-2", spec: planJob("plain-2", 0) },
  ]);
  const rows = repos.jobs.currentOfPipeline(pipeline.id);
  expect(rows.map((j) => [j.name, j.status, j.allowFailure, j.spec.name, j.spec.when])).toEqual([
    ["plain", "created", false, "plain", "on_success"],
    ["manual", "manual", true, "manual", "manual"],
    ["later", "created", false, "later", "on_success"],
    ["plain-2", "created", false, "plain-2", "on_success"],
  ]);
  const later = rows.find((j) => j.name === "later")!;
  expect([later.scheduledAt, later.userId, later.exitCode, later.finishedAt]).toEqual([scheduledAt, null, null, null]);
  expect(rows.every((j) => j.createdAt instanceof Date && j.traceSize === 0)).toBe(true);
});

test("currentOfPipeline reads every column as drizzle's select does, retried jobs left out, in id order", () => {
  const { db, repos } = openStore(":memory:");
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const pipeline = insertTestPipeline(repos, project.id);
  const base = { pipelineId: pipeline.id, projectId: project.id, stage: "test", stageIdx: 0 };
  const at = new Date(1_800_000_000_123);
  const full = {
    ...base,
    name: "full",
    spec: planJob("full", 0, { when: "manual" }),
    status: "failed" as const,
    allowFailure: true,
    failureReason: "script_failure" as const,
    exitCode: 3,
    retryCount: 2,
    tokenHash: "h",
    timeoutSeconds: 60,
    scheduledAt: at,
    queuedAt: at,
    startedAt: at,
    finishedAt: at,
    traceSize: 10,
    coverage: 12.5,
    sessionUrl: "https://s",
    leaseExpiresAt: at,
    awaitingRunnerAck: true,
    kind: "bridge" as const,
    errorMessage: "e",
  };
  insertTestJobs(db, [
    { ...base, name: "later", spec: planJob("later", 0) },
    { ...base, name: "old", spec: planJob("old", 0), retried: true },
    full,
  ]);
  const drizzled = db.select().from(jobs).where(eq(jobs.retried, false)).orderBy(asc(jobs.id)).all();
  expect(repos.jobs.currentOfPipeline(pipeline.id)).toEqual(drizzled);
  expect(drizzled.map((j) => j.name)).toEqual(["later", "full"]);
  expect(drizzled[1]).toMatchObject({ ...full, spec: full.spec });
});

test("insertPlanned gives the jobs back as a read of them gives them: ids in order, defaults, creation time", () => {
  const { repos } = openStore(":memory:");
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const pipeline = insertTestPipeline(repos, project.id);
  const planned = ["a", "b", "c"].map((name, i) => {
    const spec = planJob(name, i, i === 1 ? { when: "manual" } : {});
    return {
      pipelineId: pipeline.id,
      projectId: project.id,
      name,
      stage: spec.stage,
      stageIdx: i,
      spec,
      specJson: JSON.stringify(spec),
      allowFailure: i === 1,
      userId: null,
      kind: "build" as const,
      status: i === 0 ? ("pending" as const) : ("created" as const),
      failureReason: null,
      queuedAt: i === 0 ? new Date(1_800_000_000_000) : null,
      scheduledAt: null,
      finishedAt: null,
    };
  });
  const stored = repos.jobs.insertPlanned(planned);
  expect(repos.jobs.currentOfPipeline(pipeline.id)).toEqual(stored);
  expect(stored.map((j) => [j.name, j.status, j.retried, j.traceSize])).toEqual([
    ["a", "pending", false, 0],
    ["b", "created", false, 0],
    ["c", "created", false, 0],
  ]);
});

test("cancelOpenOfPipeline cancels the open current jobs, or only those named, and says which were running", () => {
  const { db, repos } = openStore(":memory:");
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const pipeline = insertTestPipeline(repos, project.id);
  const base = { pipelineId: pipeline.id, projectId: project.id, stage: "test", stageIdx: 0 };
  const statuses = ["running", "pending", "success", "manual", "created"] as const;
  insertTestJobs(
    db,
    statuses.map((status) => ({ ...base, name: status, spec: planJob(status, 0), status })),
  );
  const [running, pending, , manual, created] = repos.jobs.currentOfPipeline(pipeline.id);
  const now = new Date(1_800_000_000_000);
  const some = repos.jobs.cancelOpenOfPipeline(pipeline.id, now, [running!.id, manual!.id]);
  expect(some.jobs.map((j) => [j.name, j.status, j.finishedAt])).toEqual([
    ["running", "canceled", now],
    ["manual", "canceled", now],
  ]);
  expect(some.wereRunning).toEqual([running!.id]);
  const rest = repos.jobs.cancelOpenOfPipeline(pipeline.id, now);
  expect(rest.jobs.map((j) => j.id)).toEqual([pending!.id, created!.id]);
  expect(rest.wereRunning).toEqual([]);
  expect(repos.jobs.currentOfPipeline(pipeline.id).map((j) => j.status)).toEqual([
    "canceled",
    "canceled",
    "success",
    "canceled",
    "canceled",
  ]);
});
