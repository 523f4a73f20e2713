// The runner's artifact phases with the real shell executor and an in-memory coordinator: collect, upload, unpack.
import { afterEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PayloadArtifact } from "../domain/artifacts.ts";
import { createShellExecutorProvider } from "../executor/shell/index.ts";
import { readZip } from "../shared/zip-archive.ts";
import { createMemoryCoordinator, makeJob } from "./runner.testing.ts";
import { createRunner, noTerminalBroker } from "./runner.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function runner() {
  const dir = await mkdtemp(join(tmpdir(), "porthole-artifact-phases-"));
  const coordinator = createMemoryCoordinator();
  const r = createRunner({
    coordinator,
    executors: createShellExecutorProvider({}),
    broker: noTerminalBroker,
    info: { id: 1, name: "t", tags: [], runUntagged: true },
    buildsDir: join(dir, "builds"),
    concurrent: 1,
    version: "9.9.9",
  });
  r.start();
  cleanups.push(async () => {
    await r.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return coordinator;
}
const archive = (extra: Partial<PayloadArtifact>): PayloadArtifact => ({
  type: "archive",
  paths: [],
  exclude: [],
  untracked: false,
  when: "on_success",
  ...extra,
});
const LIMITS = { maxFiles: 100, maxBytes: 1_000_000 };

test("untracked without git takes every file; the next job finds them unpacked before its script", async () => {
  const coordinator = await runner();
  coordinator.enqueue(
    makeJob(1, {
      script: ["mkdir -p a", "echo one > a/one.txt", "echo two > two.txt"],
      artifacts: [archive({ untracked: true })],
    }),
  );
  expect(await coordinator.result(1)).toEqual({ status: "success" });
  const zip = coordinator.uploads.get("1/archive")!;
  expect(
    readZip(zip, LIMITS)
      .map((e) => e.path)
      .sort(),
  ).toEqual(["a/one.txt", "two.txt"]);

  coordinator.enqueue(makeJob(2, { script: ["rm -rf a two.txt"] }));
  await coordinator.result(2);
  coordinator.enqueue(makeJob(3, { script: ["cat a/one.txt two.txt"], dependencies: [{ id: 1, name: "build" }] }));
  expect(await coordinator.result(3)).toEqual({ status: "success" });
  const log = coordinator.trace(3);
  expect(log).toContain("Downloading artifacts for build (1)...");
  expect(log.indexOf("Downloading artifacts")).toBeLessThan(log.indexOf("cat a/one.txt"));
  expect(log).toContain("one\ntwo\n");
});

test("on_failure collects only for a failed job", async () => {
  const coordinator = await runner();
  const art = archive({ paths: ["out.txt"], when: "on_failure" });
  coordinator.enqueue(makeJob(1, { script: ["echo x > out.txt"], artifacts: [art] }));
  await coordinator.result(1);
  coordinator.enqueue(makeJob(2, { script: ["echo x > out.txt", "exit 3"], artifacts: [art] }));
  expect(await coordinator.result(2)).toEqual({ status: "failed", failureReason: "script_failure", exitCode: 3 });
  expect([...coordinator.uploads.keys()]).toEqual(["2/archive"]);
  expect(coordinator.trace(2)).toContain("Uploading artifacts for failed job");
});

test("a job that times out still uploads its on_failure artifacts; a canceled one uploads nothing", async () => {
  const coordinator = await runner();
  const art = archive({ paths: ["out.txt"], when: "always" });
  coordinator.enqueue(makeJob(1, { script: ["echo x > out.txt", "sleep 30"], timeoutSeconds: 1, artifacts: [art] }));
  expect(await coordinator.result(1)).toEqual({ status: "failed", failureReason: "job_execution_timeout" });
  expect(coordinator.uploads.has("1/archive")).toBe(true);
  coordinator.enqueue(makeJob(2, { script: ["echo x > out.txt", "sleep 30"], artifacts: [art] }));
  for (const until = Date.now() + 10_000; !coordinator.trace(2).includes("sleep 30") && Date.now() < until; )
    await Bun.sleep(20);
  coordinator.cancel(2);
  expect(await coordinator.result(2)).toEqual({ status: "canceled" });
  expect(coordinator.uploads.has("2/archive")).toBe(false);
}, 30_000);
