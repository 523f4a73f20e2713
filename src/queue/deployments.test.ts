// Deployments in the queue, from a real compile: start jobs deploy (a failed one fails its deployment, a retry
// deploys again), prepare makes the environment without deploying, a name that expands to nothing fails its job.
import { describe, expect, test } from "bun:test";
import { ensureEmbeddedRunner } from "./embedded-runner.ts";
import { queueWithProject } from "./queue.testing.ts";

async function run(ci: string, fail: string[] = []) {
  const made = queueWithProject();
  made.store.repos.projects.update(made.project.id, { ciConfig: ci });
  const pipeline = await made.queue.service.create({
    projectId: made.project.id,
    source: "api",
    userId: made.user.id,
    variables: [],
  });
  const runner = ensureEmbeddedRunner(made.store.db, "test");
  const signal = new AbortController().signal;
  const { repos } = made.store;
  // Only while a job is pending: a request with none waits out the whole long poll.
  while (repos.jobs.allOfPipeline(pipeline.id).some((j) => j.status === "pending")) {
    const payload = await made.queue.coordinator.requestJob(runner, signal);
    if (!payload) break;
    const failed = fail.includes(payload.name);
    await made.queue.coordinator.finishJob(
      payload.id,
      failed ? { status: "failed", failureReason: "script_failure", exitCode: 1 } : { status: "success" },
    );
    await Bun.sleep(0);
  }
  const page = { perPage: 100, offset: 0 };
  const environments = repos.environments.pageOfProject(made.project.id, {}, page).rows;
  const deployments = repos.deployments.page(made.project.id, { orderBy: "id", sort: "asc" }, page).rows;
  return { made, pipeline, environments, deployments, jobs: repos.jobs.allOfPipeline(pipeline.id) };
}

describe("deployments", () => {
  test("a failed start job fails its deployment; a retry deploys again with the next iid", async () => {
    const { made, deployments, jobs } = await run("deploy: {script: x, environment: production}\n", ["deploy"]);
    expect(deployments.map((d) => [d.iid, d.status])).toEqual([[1, "failed"]]);
    made.queue.service.retryJob(jobs[0]!.id, made.user.id);
    const runner = ensureEmbeddedRunner(made.store.db, "test");
    const payload = await made.queue.coordinator.requestJob(runner, new AbortController().signal);
    await made.queue.coordinator.finishJob(payload!.id, { status: "success" });
    const again = made.store.repos.deployments.page(
      made.project.id,
      { orderBy: "iid", sort: "asc" },
      {
        perPage: 10,
        offset: 0,
      },
    ).rows;
    expect(again.map((d) => [d.iid, d.status])).toEqual([
      [1, "failed"],
      [2, "success"],
    ]);
  });

  test("prepare makes the environment without a deployment; verify and access only read it", async () => {
    const { environments, deployments } = await run(
      "prep: {script: x, environment: {name: staging, action: prepare}}\n" +
        "check: {script: x, environment: {name: other, action: verify}}\n",
    );
    expect(environments.map((e) => [e.name, e.state, e.tier])).toEqual([["staging", "available", "staging"]]);
    expect(deployments).toEqual([]);
  });

  test("a name that expands to nothing fails its job with environment_creation_failure", async () => {
    const { jobs, environments } = await run("deploy: {script: x, environment: $NOTHING}\nother: {script: y}\n");
    const deploy = jobs.find((j) => j.name === "deploy")!;
    expect([deploy.status, deploy.failureReason]).toEqual(["failed", "environment_creation_failure"]);
    expect(jobs.find((j) => j.name === "other")!.status).toBe("success");
    expect(environments).toEqual([]);
  });
});
