// Caches, auto-cancel and keyword warnings end to end on the shell executor: a lock-file cache hit, miss and clear.
import { afterAll, beforeAll, test } from "bun:test";
import { acceptedNotActedOnScenario, autoCancelScenario, lockFileCacheScenario } from "../support/cache-scenarios.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

let t: TestPorthole;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { concurrent: 2 } });
});
afterAll(() => t?.stop());

test("a cache keyed on a lock file is restored in the second pipeline and missed after the lock file changes; untracked files come back", async () => {
  await lockFileCacheScenario(t);
}, 180_000);

test("a new pipeline auto-cancels an interruptible older one", async () => {
  await autoCancelScenario(t);
}, 120_000);

test("a keyword accepted but not acted on warns in the lint result and the job log", async () => {
  await acceptedNotActedOnScenario(t);
}, 60_000);
