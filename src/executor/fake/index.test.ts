// The fake executor driven through the real runner: each FAKE_* variable does what scheduler tests rely on.
import { afterEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryCoordinator, makeJob } from "../../runner/runner.testing.ts";
import { createRunner, noTerminalBroker } from "../../runner/runner.ts";
import { createFakeExecutorProvider } from "./index.ts";

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function fakeRunner() {
  const dir = await mkdtemp(join(tmpdir(), "porthole-fake-"));
  const coordinator = createMemoryCoordinator();
  const runner = createRunner({
    coordinator,
    executors: createFakeExecutorProvider(),
    broker: noTerminalBroker,
    info: { id: 1, name: "fake", tags: [], runUntagged: true },
    buildsDir: dir,
    concurrent: 2,
    version: "t",
  });
  runner.start();
  cleanup = async () => {
    await runner.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const vars = (entries: Record<string, string>) =>
    Object.entries(entries).map(([key, value]) => ({ key, value, masked: false, raw: true }));
  return { coordinator, vars };
}

test("FAKE_OUTPUT reaches the log and FAKE_EXIT_CODE is the script's exit code", async () => {
  const { coordinator, vars } = await fakeRunner();
  coordinator.enqueue(makeJob(1, { variables: vars({ FAKE_OUTPUT: "hello from fake\n", FAKE_EXIT_CODE: "4" }) }));
  expect(await coordinator.result(1)).toEqual({ status: "failed", failureReason: "script_failure", exitCode: 4 });
  expect(coordinator.trace(1)).toContain("hello from fake\n");
  expect(coordinator.trace(1)).toContain("ERROR: Job failed: exit code 4");
});

test("without variables a fake job succeeds", async () => {
  const { coordinator } = await fakeRunner();
  coordinator.enqueue(makeJob(2));
  expect(await coordinator.result(2)).toEqual({ status: "success" });
});

test("FAKE_SYSTEM_FAILURE fails the job as a runner system failure with the message", async () => {
  const { coordinator, vars } = await fakeRunner();
  coordinator.enqueue(makeJob(3, { variables: vars({ FAKE_SYSTEM_FAILURE: "the disk is on fire" }) }));
  expect(await coordinator.result(3)).toEqual({ status: "failed", failureReason: "runner_system_failure" });
  expect(coordinator.trace(3)).toContain("ERROR: Job failed: the disk is on fire");
});

test("FAKE_SLEEP_MS keeps the job running until it is canceled", async () => {
  const { coordinator, vars } = await fakeRunner();
  coordinator.enqueue(makeJob(4, { variables: vars({ FAKE_SLEEP_MS: "600000" }) }));
  for (const until = Date.now() + 10_000; !coordinator.trace(4).includes("step_script") && Date.now() < until; ) {
    await Bun.sleep(10);
  }
  coordinator.cancel(4);
  expect(await coordinator.result(4)).toEqual({ status: "canceled" });
});

test("a FAKE_* value that is not a whole number is a system failure that names it", async () => {
  const { coordinator, vars } = await fakeRunner();
  coordinator.enqueue(makeJob(5, { variables: vars({ FAKE_EXIT_CODE: "lots" }) }));
  expect(await coordinator.result(5)).toEqual({ status: "failed", failureReason: "runner_system_failure" });
  expect(coordinator.trace(5)).toContain("FAKE_EXIT_CODE must be a whole number");
});
