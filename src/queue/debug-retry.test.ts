// "Retry with terminal" and debug on failure in the queue: the breakpoint reaches only the try asked for; the
// project's default wait applies when the job's YAML names none.
import { expect, test } from "bun:test";
import type { JobResult } from "../domain/coordinator.ts";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { queueWithPipeline } from "./queue.testing.ts";

const failed: JobResult = { status: "failed", failureReason: "script_failure", exitCode: 1 };
const signal = new AbortController().signal;

async function runOnce(env: ReturnType<typeof queueWithPipeline>, result: JobResult = failed) {
  const payload = await env.queue.coordinator.requestJob(env.runner, signal);
  if (!payload) throw new Error("no job was handed out");
  await env.queue.coordinator.finishJob(payload.id, result);
  return payload;
}

test("the breakpoint goes to the new try only; a plain retry of it pauses nowhere", async () => {
  const env = queueWithPipeline([planJob("fixme", 0, { debug: { onFailure: 30 } })]);
  const first = await runOnce(env);
  expect(first.debug).toEqual({ onFailure: 30 });
  env.queue.service.retryJob(first.id, env.userId, { kind: "script", line: 2 });
  const second = await runOnce(env);
  expect(second.debug).toEqual({ onFailure: 30, breakpoint: { kind: "script", line: 2 } });
  env.queue.service.retryJob(second.id, env.userId);
  expect((await runOnce(env)).debug).toEqual({ onFailure: 30 });
});

test("the project's default wait applies unless the job says; 0 in the YAML turns it off", async () => {
  const env = queueWithPipeline([
    planJob("plain"),
    planJob("own", 0, { debug: { onFailure: 5 } }),
    planJob("off", 0, { debug: { onFailure: 0 } }),
  ]);
  const projectId = env.store.repos.jobs.allOfPipeline(env.pipelineId)[0]!.projectId;
  env.store.repos.projects.update(projectId, { debugOnFailure: 600 });
  const byName = new Map<string, unknown>();
  for (let i = 0; i < 3; i++) {
    const p = await runOnce(env);
    byName.set(p.name, p.debug);
  }
  expect(byName.get("plain")).toEqual({ onFailure: 600 });
  expect(byName.get("own")).toEqual({ onFailure: 5 });
  expect(byName.get("off")).toBeUndefined();
});
