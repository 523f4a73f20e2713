// The pipeline's warnings (keywords accepted but not acted on) open the job's log, as `WARNING: …` lines.
import { afterEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createShellExecutorProvider } from "../executor/shell/index.ts";
import { createMemoryCoordinator, makeJob } from "./runner.testing.ts";
import { createRunner, noTerminalBroker } from "./runner.ts";

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
});

test("each payload warning is a WARNING line before the job's first section", async () => {
  const dir = await mkdtemp(join(tmpdir(), "porthole-warnings-"));
  const coordinator = createMemoryCoordinator();
  const runner = createRunner({
    coordinator,
    executors: createShellExecutorProvider(),
    broker: noTerminalBroker,
    info: { id: 7, name: "test-runner", tags: [], runUntagged: true },
    buildsDir: join(dir, "builds"),
    concurrent: 1,
    version: "9.9.9",
  });
  runner.start();
  stop = async () => {
    await runner.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const warning =
    "variables:A:description is accepted but not acted on (the Run pipeline form does not prefill variables)";
  coordinator.enqueue(makeJob(1, { warnings: [warning] }));
  expect(await coordinator.result(1)).toEqual({ status: "success" });
  const log = coordinator.trace(1).replace(/\x1b\[[0-9;]*[mK]/g, "");
  expect(log).toContain(`WARNING: ${warning}\n`);
  expect(log.indexOf(`WARNING: ${warning}`)).toBeLessThan(log.indexOf("prepare_executor"));
});
