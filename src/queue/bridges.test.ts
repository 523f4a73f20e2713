import { expect, test } from "bun:test";
import { ROLES } from "../auth/permissions.ts";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { insertTestPipeline, testJobRow } from "../store/store.testing.ts";
import { runBridge } from "./bridges.ts";
import { ensureEmbeddedRunner } from "./embedded-runner.ts";
import { cancelPipeline } from "./pipeline-actions.ts";
import { queueContextOf, queueWithProject } from "./queue.testing.ts";
import { advancePipeline } from "./scheduler.ts";

const child = {
  include: ["ci/child.yml"],
  strategy: "depend" as const,
  forward: { yamlVariables: true, pipelineVariables: false },
};

test("runners never get a bridge; at start, released bridges run and half-started ones fail or settle", async () => {
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
  // Stopped after its child was made, before it was marked: it settles as it would have.
  const made = row("made", "running");
  repos.jobs.update(made.id, { spec: { ...made.spec, trigger: { ...child, strategy: undefined } } });
  insertTestPipeline(repos, project.id, {
    iid: 2,
    source: "parent_pipeline",
    upstreamJobId: made.id,
    upstreamPipelineId: pipeline.id,
  });

  const runner = ensureEmbeddedRunner(store.db, "test");
  const poll = new AbortController();
  setTimeout(() => poll.abort(), 200);
  expect(await queue.coordinator.requestJob(runner, poll.signal)).toBeNull();

  queue.recover();
  expect(repos.jobs.findById(made.id)!.status).toBe("success");
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

test("a bridge canceled while its child is being made cancels that child once it exists", async () => {
  const env = queueWithProject();
  const { repos } = env.store;
  const q = queueContextOf(env);
  repos.members.insert({ projectId: env.project.id, userId: env.user.id, accessLevel: ROLES.maintainer });
  const parent = insertTestPipeline(repos, env.project.id, { userId: env.user.id, status: "running" });
  const bridge = repos.jobs.insert({
    ...testJobRow(parent, planJob("kid", 0, { script: [], trigger: child }), env.user.id),
    kind: "bridge",
    status: "pending",
  });
  await runBridge(
    q,
    async (input) => {
      // The parent is canceled while the child is made (its mirror fetched, its file compiled).
      cancelPipeline(q, parent.id);
      const made = insertTestPipeline(repos, env.project.id, {
        iid: 2,
        source: input.source,
        userId: input.userId,
        upstreamJobId: input.upstream!.jobId,
        upstreamPipelineId: input.upstream!.pipelineId,
      });
      repos.jobs.insert(testJobRow(made, planJob("k", 0), env.user.id));
      advancePipeline(q, made.id);
      return repos.pipelines.findById(made.id)!;
    },
    bridge.id,
  );
  const [made] = repos.pipelines.downstreamOf([bridge.id]);
  expect(repos.jobs.findById(bridge.id)!.status).toBe("canceled");
  expect(made!.status).toBe("canceled");
  env.queue.stop();
});
