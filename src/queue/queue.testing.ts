// Test fixtures for the queue: an in-memory store with a project and a pipeline made from bare job specs.

import { createTraceStore } from "../logs/trace-store.ts";
import type { PlanJob } from "../pipeline/types.ts";
import { openStore } from "../store/db.ts";
import { jobs, pipelines, projects, users } from "../store/schema.ts";
import { ensureEmbeddedRunner } from "./embedded-runner.ts";
import { createQueue } from "./index.ts";
import { advancePipeline } from "./scheduler.ts";

/** A queue over an in-memory database holding one project whose pipeline has `specs` as jobs. */
export function queueWithPipeline(specs: PlanJob[]) {
  const store = openStore(":memory:");
  const traces = createTraceStore(store.db);
  const queue = createQueue({
    db: store.db,
    traces,
    externalUrl: "http://x",
    defaultTimeoutSeconds: 60,
    reposDir: "/nonexistent",
  });
  const user = store.db
    .insert(users)
    .values({ username: "u", name: "u", email: "u@x", passwordHash: "x" })
    .returning()
    .get();
  const project = store.db
    .insert(projects)
    .values({ name: "p", path: "p", namespace: "u", ciConfig: "x" })
    .returning()
    .get();
  const pipeline = store.db
    .insert(pipelines)
    .values({
      projectId: project.id,
      iid: 1,
      ref: "main",
      sha: "0".repeat(40),
      source: "api",
      variables: [],
      yamlVariables: [],
      userId: user.id,
    })
    .returning()
    .get();
  store.db
    .insert(jobs)
    .values(
      specs.map((spec) => ({
        pipelineId: pipeline.id,
        projectId: project.id,
        name: spec.name,
        stage: spec.stage,
        stageIdx: spec.stageIndex,
        spec,
        allowFailure: spec.allowFailure === true,
        userId: user.id,
      })),
    )
    .run();
  const q = {
    db: store.db,
    traces,
    events: queue.events,
    externalUrl: "",
    reposDir: "/nonexistent",
    defaultTimeoutSeconds: 60,
    maxJobsPerPipeline: 1000,
    jobsReleased() {},
    jobCanceled() {},
    scheduleWakeup() {},
  };
  advancePipeline(q, pipeline.id);
  return { store, queue, pipelineId: pipeline.id, userId: user.id, runner: ensureEmbeddedRunner(store.db, "test") };
}
