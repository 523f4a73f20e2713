// Caches and auto-cancel end to end on the Docker executor: the same scenarios as on the shell executor.
import { afterAll, beforeAll, describe, test } from "bun:test";
import { autoCancelScenario, lockFileCacheScenario } from "../support/cache-scenarios.ts";
import { noDocker } from "../support/docker-engine.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const IMAGE = "porthole-test/busybox";
let t: TestPorthole;

describe.skipIf(noDocker)("caches and auto-cancel on the Docker executor", () => {
  beforeAll(async () => {
    t = await startTestPorthole({ runner: { executor: "docker", concurrent: 2 }, docker: { default_image: IMAGE } });
  });
  afterAll(() => t?.stop());

  test("a cache keyed on a lock file is restored in the second pipeline and missed after the lock file changes; untracked files come back", async () => {
    await lockFileCacheScenario(t, IMAGE);
  }, 240_000);

  test("a new pipeline auto-cancels an interruptible older one", async () => {
    await autoCancelScenario(t, IMAGE);
  }, 120_000);
});
