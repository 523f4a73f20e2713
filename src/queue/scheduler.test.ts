import { describe, expect, test } from "bun:test";
import type { JobResult } from "../domain/coordinator.ts";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { queueWithPipeline } from "./queue.testing.ts";

/** Every job of the pipeline, retried tries included, oldest first. */
const allJobs = (env: ReturnType<typeof queueWithPipeline>) =>
  env.store.repos.jobs.allOfPipeline(env.pipelineId).sort((a, b) => a.id - b.id);
const named = (env: ReturnType<typeof queueWithPipeline>, name: string) => allJobs(env).filter((j) => j.name === name);

/** Takes every pending job and finishes it with the result `outcome` gives for its name, until none is left. */
async function drain(
  env: ReturnType<typeof queueWithPipeline>,
  outcome: (name: string) => JobResult = () => ({ status: "success" }),
) {
  const signal = new AbortController().signal;
  for (;;) {
    const ready = allJobs(env).filter((j) => j.status === "pending");
    if (ready.length === 0) return;
    for (const _ of ready) {
      const payload = await env.queue.coordinator.requestJob(env.runner, signal);
      if (payload) await env.queue.coordinator.finishJob(payload.id, outcome(payload.name));
    }
  }
}

function statuses(env: ReturnType<typeof queueWithPipeline>) {
  const rows = allJobs(env).filter((j) => !j.retried);
  return Object.fromEntries(rows.map((j) => [j.name, j.status]));
}
const pipelineStatus = (env: ReturnType<typeof queueWithPipeline>) =>
  env.store.repos.pipelines.findById(env.pipelineId)!.status;

describe("scheduler", () => {
  test("stages run in order and a failure skips later on_success jobs but runs on_failure and always", async () => {
    const env = queueWithPipeline([
      planJob("build", 0),
      planJob("test", 1),
      planJob("lint", 1, { allowFailure: true }),
      planJob("deploy", 2),
      planJob("notify", 2, { when: "on_failure" }),
      planJob("cleanup", 2, { when: "always" }),
    ]);
    expect(statuses(env)).toMatchObject({ build: "pending", test: "created" });
    await drain(env, (name) =>
      name === "test" ? { status: "failed", failureReason: "script_failure", exitCode: 1 } : { status: "success" },
    );
    expect(statuses(env)).toEqual({
      build: "success",
      test: "failed",
      lint: "success",
      deploy: "skipped",
      notify: "success",
      cleanup: "success",
    });
    expect(pipelineStatus(env)).toBe("failed");
  });

  test("allow_failure keeps the pipeline green; exit_codes only for the listed codes", async () => {
    const env = queueWithPipeline([
      planJob("a", 0, { allowFailure: { exitCodes: [3] } }),
      planJob("b", 0, { allowFailure: true }),
      planJob("c", 1),
    ]);
    await drain(env, (name) => ({ status: "failed", failureReason: "script_failure", exitCode: name === "a" ? 3 : 1 }));
    expect(statuses(env)).toEqual({ a: "failed", b: "failed", c: "failed" });
    expect(named(env, "a")[0]!.allowFailure).toBe(true);
    expect(pipelineStatus(env)).toBe("failed");
  });

  test("needs: [] starts at once and needs release a job before its stage", async () => {
    const env = queueWithPipeline([
      planJob("build", 0),
      planJob("slow", 0),
      planJob("unit", 1, { needs: [{ job: "build", optional: false }] }),
      planJob("early", 2, { needs: [] }),
    ]);
    expect(statuses(env)).toMatchObject({ build: "pending", slow: "pending", unit: "created", early: "pending" });
    const signal = new AbortController().signal;
    const p = await env.queue.coordinator.requestJob(env.runner, signal);
    expect(p?.name).toBe("build");
    await env.queue.coordinator.finishJob(p!.id, { status: "success" });
    expect(statuses(env)).toMatchObject({ slow: "pending", unit: "pending" });
  });

  test("manual jobs: optional ones let the pipeline pass, blocking ones hold later stages", async () => {
    const env = queueWithPipeline([
      planJob("build", 0),
      planJob("optional", 1, { when: "manual", allowFailure: true }),
      planJob("gate", 1, { when: "manual", allowFailure: false }),
      planJob("deploy", 2),
    ]);
    await drain(env);
    expect(statuses(env)).toEqual({ build: "success", optional: "manual", gate: "manual", deploy: "created" });
    expect(pipelineStatus(env)).toBe("manual");
    const gate = named(env, "gate")[0]!;
    env.queue.service.playJob(gate.id, env.userId);
    await drain(env);
    expect(statuses(env)).toEqual({ build: "success", optional: "manual", gate: "success", deploy: "success" });
    expect(pipelineStatus(env)).toBe("success");
  });

  test("retry: automatic retries up to max, then a manual retry makes a new job and re-runs skipped ones", async () => {
    const env = queueWithPipeline([
      planJob("flaky", 0, { retry: { max: 2, when: [], exitCodes: [] } }),
      planJob("after", 1),
    ]);
    await drain(env, () => ({ status: "failed", failureReason: "script_failure", exitCode: 1 }));
    const tries = named(env, "flaky");
    expect(tries.map((t) => [t.status, t.retried])).toEqual([
      ["failed", true],
      ["failed", true],
      ["failed", false],
    ]);
    expect(statuses(env)).toEqual({ flaky: "failed", after: "skipped" });
    env.queue.service.retryJob(tries[2]!.id, env.userId);
    await drain(env);
    expect(statuses(env)).toEqual({ flaky: "success", after: "success" });
    expect(pipelineStatus(env)).toBe("success");
  });

  test("cancel: pending jobs are canceled at once, the pipeline is canceled", async () => {
    const env = queueWithPipeline([planJob("a", 0), planJob("b", 1)]);
    env.queue.service.cancelPipeline(env.pipelineId);
    expect(statuses(env)).toEqual({ a: "canceled", b: "canceled" });
    expect(pipelineStatus(env)).toBe("canceled");
  });

  test("delayed jobs wait for start_in, then the queue's own timer releases them", async () => {
    const env = queueWithPipeline([planJob("unrelated", 0)]);
    const { projectId } = env.store.repos.pipelines.findById(env.pipelineId)!;
    const ciConfig = 'later:\n  when: delayed\n  start_in: 1 second\n  script: ["true"]\n';
    env.store.repos.projects.update(projectId, { ciConfig, pipelineIidSeq: 1 });
    const created = await env.queue.service.create({ projectId, source: "api", userId: env.userId, variables: [] });
    const later = () => env.store.repos.jobs.allOfPipeline(created.id)[0]!;
    expect(later().status).toBe("scheduled");
    // Nothing but the timer the queue set when it scheduled the job can release it now.
    const deadline = Date.now() + 20_000;
    while (later().status === "scheduled" && Date.now() < deadline) await Bun.sleep(50);
    expect(later().status).toBe("pending");
    expect(later().queuedAt!.getTime()).toBeGreaterThanOrEqual(later().scheduledAt!.getTime());
    env.queue.stop();
  });

  test("a pipeline at the job limit releases exactly what its stages and needs allow", async () => {
    // Ten stages of 100 jobs; each later job needs the one above it in the stage before, but a few go by stages.
    const byStages = (i: number) => i % 10 === 5;
    const specs = Array.from({ length: 1000 }, (_, i) => {
      const needs = i >= 100 && !byStages(i) ? [{ job: `job-${i - 100}`, optional: false }] : null;
      return planJob(`job-${i}`, Math.floor(i / 100), { needs });
    });
    const env = queueWithPipeline(specs);
    const pending = () => allJobs(env).filter((j) => j.status === "pending");
    expect(pending().map((j) => j.name)).toEqual(specs.slice(0, 100).map((s) => s.name));
    // Stage 0 done: all of stage 1 is released, nothing later (each needs a stage-1 job, or waits for stage 1).
    const signal = new AbortController().signal;
    for (const _ of pending()) {
      const payload = await env.queue.coordinator.requestJob(env.runner, signal);
      await env.queue.coordinator.finishJob(payload!.id, { status: "success" });
    }
    const released = pending().map((j) => Number(j.name.slice(4)));
    expect(released).toEqual(Array.from({ length: 100 }, (_, k) => 100 + k));
    expect(pipelineStatus(env)).toBe("running");
    env.queue.stop();
  });
});
