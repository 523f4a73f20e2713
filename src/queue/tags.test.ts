// `tags`: a tagged job goes only to a runner that has every one of its tags.
import { expect, test } from "bun:test";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { queueWithPipeline } from "./queue.testing.ts";

test("a job with tags is not handed to a runner without them, and is to one that has them all", async () => {
  const env = queueWithPipeline([planJob("build", 0, { tags: ["docker", "arm64"] })]);
  const untagged = { ...env.runner, tags: ["docker"], runUntagged: true };
  expect(await env.queue.coordinator.requestJob(untagged, AbortSignal.timeout(300))).toBeNull();
  const tagged = { ...env.runner, tags: ["arm64", "docker", "extra"] };
  expect((await env.queue.coordinator.requestJob(tagged, AbortSignal.timeout(5000)))?.name).toBe("build");
});
