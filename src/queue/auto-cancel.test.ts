// Auto-cancel through the real queue: pipelines compiled from CI files, jobs taken and finished as a runner would.
import { describe, expect, test } from "bun:test";
import { createTraceStore } from "../logs/trace-store.ts";
import { createArtifactStore, TEST_ARTIFACT_LIMITS } from "../store/artifacts.ts";
import { openStore } from "../store/db.ts";
import { ensureEmbeddedRunner } from "./embedded-runner.ts";
import { createQueue } from "./index.ts";

function setup() {
  const store = openStore(":memory:");
  const queue = createQueue({
    db: store.db,
    traces: createTraceStore(store.db),
    artifacts: createArtifactStore(store.db, "/nonexistent", TEST_ARTIFACT_LIMITS),
    externalUrl: "http://x",
    defaultTimeoutSeconds: 60,
    reposDir: "/nonexistent",
  });
  const { repos } = store;
  const user = repos.users.insert({ username: "u", name: "u", email: "u@x", passwordHash: "x" });
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "u", ciConfig: "x" });
  const runner = ensureEmbeddedRunner(store.db, "test");
  const signal = new AbortController().signal;
  /** A pipeline on `main` from `yaml` (each different text is a different commit, as the sha is its hash). */
  const create = async (yaml: string) => {
    repos.projects.update(project.id, { ciConfig: yaml });
    return (await queue.service.create({ projectId: project.id, source: "push", userId: user.id, variables: [] })).id;
  };
  const start = async () => (await queue.coordinator.requestJob(runner, signal))!;
  const statuses = (pipelineId: number) =>
    Object.fromEntries(repos.jobs.allOfPipeline(pipelineId).map((j) => [j.name, j.status]));
  const pipelineStatus = (id: number) => repos.pipelines.findById(id)!.status;
  return { queue, create, start, statuses, pipelineStatus };
}

const CI = (extra: string, build = "interruptible: true") => `
${extra}
stages: [build, test]
build: {stage: build, script: make, ${build}}
test: {stage: test, script: check}
# ${Math.random()}
`;

describe("auto-cancel", () => {
  test("a new commit cancels an older pipeline whose started jobs are all interruptible (conservative)", async () => {
    const env = setup();
    const older = await env.create(CI(""));
    const running = await env.start();
    expect(running.name).toBe("build");
    const newer = await env.create(CI(""));
    expect(env.statuses(older)).toEqual({ build: "canceled", test: "canceled" });
    expect(env.pipelineStatus(older)).toBe("canceled");
    expect(env.statuses(newer)).toEqual({ build: "pending", test: "created" });
  });

  test("conservative leaves an older pipeline alone once a non-interruptible job started", async () => {
    const env = setup();
    const older = await env.create(CI("", "interruptible: false"));
    await env.start();
    await env.create(CI(""));
    expect(env.statuses(older)).toEqual({ build: "running", test: "created" });
  });

  test("conservative cancels an older pipeline whose jobs have not started, interruptible or not", async () => {
    const env = setup();
    const older = await env.create(CI("", "interruptible: false"));
    await env.create(CI(""));
    expect(env.statuses(older)).toEqual({ build: "canceled", test: "canceled" });
  });

  test("on_new_commit: interruptible cancels only the interruptible jobs; none cancels nothing", async () => {
    const env = setup();
    const older = await env.create(
      CI("workflow: {auto_cancel: {on_new_commit: interruptible}}", "interruptible: false"),
    );
    await env.create(CI(""));
    expect(env.statuses(older)).toEqual({ build: "pending", test: "created" });
    const interruptible = await env.create(
      `workflow: {auto_cancel: {on_new_commit: interruptible}}\na: {script: x, interruptible: true}\nb: {script: y}\n`,
    );
    await env.create(CI(""));
    expect(env.statuses(interruptible)).toEqual({ a: "canceled", b: "pending" });
    const none = await env.create(CI("workflow: {auto_cancel: {on_new_commit: none}}"));
    await env.create(CI(""));
    expect(env.statuses(none)).toEqual({ build: "pending", test: "created" });
  });

  test("on_job_failure: all cancels the rest of the pipeline when a job fails; allow_failure does not", async () => {
    const env = setup();
    const id = await env.create(`
workflow: {auto_cancel: {on_job_failure: all}}
a: {script: x}
b: {script: y}
c: {script: z, allow_failure: true}
later: {stage: deploy, script: w}
`);
    const taken = [await env.start(), await env.start(), await env.start()];
    const byName = Object.fromEntries(taken.map((j) => [j.name, j]));
    const [a, c] = [byName.a!, byName.c!];
    await env.queue.coordinator.finishJob(c.id, { status: "failed", failureReason: "script_failure", exitCode: 1 });
    expect(env.statuses(id)).toMatchObject({ a: "running", b: "running", later: "created" });
    await env.queue.coordinator.finishJob(a.id, { status: "failed", failureReason: "script_failure", exitCode: 1 });
    expect(env.statuses(id)).toEqual({ a: "failed", b: "canceled", c: "failed", later: "canceled" });
  });

  test("a matching workflow:rules rule's auto_cancel overrides workflow:auto_cancel", async () => {
    const env = setup();
    const older = await env.create(
      CI(
        'workflow:\n  auto_cancel: {on_new_commit: none}\n  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n      auto_cancel: {on_new_commit: conservative}',
      ),
    );
    await env.create(CI(""));
    expect(env.statuses(older)).toEqual({ build: "canceled", test: "canceled" });
  });

  test("an unknown on_new_commit value is a lint error", async () => {
    const env = setup();
    await expect(env.create(CI("workflow: {auto_cancel: {on_new_commit: always}}"))).rejects.toThrow(
      "workflow:auto_cancel on new commit must be one of: conservative, interruptible, none",
    );
  });
});
