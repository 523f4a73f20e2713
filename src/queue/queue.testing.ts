// Test fixtures for the queue: an in-memory store with a project and a pipeline made from bare job specs.

import { createTraceStore } from "../logs/trace-store.ts";
import type { PlanJob } from "../pipeline/types.ts";
import { createArtifactStore, TEST_ARTIFACT_LIMITS } from "../store/artifacts.ts";
import { openStore } from "../store/db.ts";
import { transaction } from "../store/repositories.ts";
import { insertTestJobs, insertTestPipeline, NO_DATA_DIR, testJobRow } from "../store/store.testing.ts";
import type { QueueContext } from "./context.ts";
import { ensureEmbeddedRunner } from "./embedded-runner.ts";
import { createQueue } from "./index.ts";
import { advancePipeline } from "./scheduler.ts";

/** A queue over an in-memory database holding user `u` and their project `u/p` (no pipeline yet). */
export function queueWithProject() {
  const store = openStore(":memory:");
  const traces = createTraceStore(store.db);
  const artifacts = createArtifactStore(store.db, NO_DATA_DIR, TEST_ARTIFACT_LIMITS);
  const queue = createQueue({
    db: store.db,
    traces,
    artifacts,
    externalUrl: "http://x",
    defaultTimeoutSeconds: 60,
    reposDir: NO_DATA_DIR,
  });
  const { repos } = store;
  const user = repos.users.insert({ username: "u", name: "u", email: "u@x", passwordHash: "x" });
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "u", ciConfig: "x" });
  return { store, traces, artifacts, queue, user, project };
}

/** A queue over an in-memory database holding one project whose pipeline has `specs` as jobs. */
export function queueWithPipeline(specs: PlanJob[]) {
  const made = queueWithProject();
  const { store, queue, user, project } = made;
  const { repos } = store;
  const pipeline = insertTestPipeline(repos, project.id, { userId: user.id });
  insertTestJobs(
    store.db,
    specs.map((spec) => testJobRow(pipeline, spec, user.id)),
  );
  const q = queueContextOf(made);
  advancePipeline(q, pipeline.id);
  return { store, queue, pipelineId: pipeline.id, userId: user.id, runner: ensureEmbeddedRunner(store.db, "test") };
}

/** A queue context over `queueWithProject()`'s store whose events reach its queue's listeners. */
export function queueContextOf({ store, traces, artifacts, queue }: ReturnType<typeof queueWithProject>): QueueContext {
  const { repos } = store;
  return {
    repos,
    transaction: <T>(work: (r: typeof repos) => T) => transaction(store.db, work),
    traces,
    artifacts,
    events: queue.events,
    externalUrl: "http://x",
    reposDir: NO_DATA_DIR,
    defaultTimeoutSeconds: 60,
    maxJobsPerPipeline: 1000,
    db: store.db,
    jobsReleased() {},
    bridgeReleased() {},
    jobCanceled() {},
    scheduleWakeup() {},
  };
}
