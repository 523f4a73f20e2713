import { expect, test } from "bun:test";
import { ROLES } from "../auth/permissions.ts";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { insertTestPipeline, testJobRow } from "../store/store.testing.ts";
import { ensureEmbeddedRunner } from "./embedded-runner.ts";
import { queueWithProject } from "./queue.testing.ts";

const child = {
  include: ["ci/child.yml"],
  strategy: "depend" as const,
  forward: { yamlVariables: true, pipelineVariables: false },
};

test("runners never get a bridge; at start, released bridges run and half-started ones fail", async () => {
  const { store, queue, user, project } = queueWithProject();
  const { repos } = store;
  repos.members.insert({ projectId: project.id, userId: user.id, accessLevel: ROLES.maintainer });
  const pipeline = insertTestPipeline(repos, project.id, { userId: user.id, status: "running" });
  const row = (name: string, status: "pending" | "running") =>
    repos.jobs.insert({
      ...testJobRow(pipeline, planJob(name, 0, { script: [], trigger: child }), user.id),
      kind: "bridge",
      status,
    });
  const released = row("released", "pending");
  const halfway = row("halfway", "running");

  const runner = ensureEmbeddedRunner(store.db, "test");
  const poll = new AbortController();
  setTimeout(() => poll.abort(), 200);
  expect(await queue.coordinator.requestJob(runner, poll.signal)).toBeNull();

  queue.recover();
  expect(repos.jobs.findById(halfway.id)).toMatchObject({
    status: "failed",
    failureReason: "downstream_pipeline_creation_failed",
    errorMessage: "the server stopped while creating it",
  });
  // The released one is started: this project has no repository, so its child's local include cannot be read.
  const started = await waitForStatus(() => repos.jobs.findById(released.id)!, "failed");
  expect(started.failureReason).toBe("downstream_pipeline_creation_failed");
  expect(started.errorMessage).toBe("Local file `ci/child.yml` does not have project!");
  expect(repos.pipelines.findById(pipeline.id)!.status).toBe("failed");
  queue.stop();
});

async function waitForStatus<T extends { status: string }>(read: () => T, status: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const now = read();
    if (now.status === status) return now;
    await Bun.sleep(10);
  }
  return read();
}
