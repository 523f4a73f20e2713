// `retry:when` and `retry:exit_codes`: a failed job is tried again only for the listed failure reasons and codes.
import { expect, test } from "bun:test";
import type { JobResult } from "../domain/coordinator.ts";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { queueWithPipeline } from "./queue.testing.ts";

async function triesOf(retry: { when: string[]; exitCodes: number[] }, result: JobResult): Promise<number> {
  const env = queueWithPipeline([planJob("flaky", 0, { retry: { max: 2, ...retry } })]);
  const signal = new AbortController().signal;
  for (;;) {
    const pending = env.store.repos.jobs.allOfPipeline(env.pipelineId).filter((j) => j.status === "pending");
    if (pending.length === 0) break;
    const payload = await env.queue.coordinator.requestJob(env.runner, signal);
    if (payload) await env.queue.coordinator.finishJob(payload.id, result);
  }
  return env.store.repos.jobs.allOfPipeline(env.pipelineId).length;
}

const scriptFailure = (exitCode: number): JobResult => ({
  status: "failed",
  failureReason: "script_failure",
  exitCode,
});
const systemFailure: JobResult = { status: "failed", failureReason: "runner_system_failure" };

test("retry:when retries only the listed failure reasons", async () => {
  expect(await triesOf({ when: ["runner_system_failure"], exitCodes: [] }, systemFailure)).toBe(3);
  expect(await triesOf({ when: ["runner_system_failure"], exitCodes: [] }, scriptFailure(1))).toBe(1);
});

test("retry:exit_codes retries only the listed exit codes", async () => {
  expect(await triesOf({ when: [], exitCodes: [137] }, scriptFailure(137))).toBe(3);
  expect(await triesOf({ when: [], exitCodes: [137] }, scriptFailure(1))).toBe(1);
});
