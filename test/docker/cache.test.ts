// Caches and auto-cancel end to end on the Docker executor: the same scenarios as on the shell executor.
import { afterAll, beforeAll, describe, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { autoCancelScenario, backgroundSwapScenario, lockFileCacheScenario } from "../support/cache-scenarios.ts";
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

  test("a process the job left running cannot make the runner read a host folder into the cache", async () => {
    const outside = mkdtempSync(join(tmpdir(), "porthole-outside-"));
    writeFileSync(join(outside, "f"), "server secret\n");
    try {
      await backgroundSwapScenario(t, IMAGE, outside);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  }, 120_000);

  test("a new pipeline auto-cancels an interruptible older one", async () => {
    await autoCancelScenario(t, IMAGE);
  }, 120_000);
});
