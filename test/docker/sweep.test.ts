// sweep() removes what a crashed run left behind for this runner, and nothing of another runner or server.
import { afterAll, describe, expect, test } from "bun:test";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { makeJob, never, testProvider } from "../support/docker-job.ts";
import { captureSink } from "../support/sink.ts";

const disposals: (() => void)[] = [];
afterAll(() => {
  for (const dispose of disposals) dispose();
});

describe.skipIf(noDocker)("docker executor: sweep", () => {
  test("a crashed run's containers and network are removed and listed; another server's are kept", async () => {
    const crashed = testProvider();
    const other = testProvider();
    const made = makeJob({ services: [{ name: "porthole-test/httpd", alias: "web", variables: [] }] });
    const kept = makeJob();
    disposals.push(made.dispose, kept.dispose);
    const survivor = other.provider.create(kept.env);
    const lost = crashed.provider.create(made.env);
    try {
      // The "crash": prepared, then the process that owned the executor vanished without cleanup().
      await lost.prepare(captureSink(), never());
      await survivor.prepare(captureSink(), never());

      const restarted = testProvider({}, crashed.scope).provider;
      const removed = await restarted.sweep!();
      expect(removed).toHaveLength(3);
      expect(removed.filter((r) => r.startsWith("container porthole-job-"))).toHaveLength(2);
      expect(removed.filter((r) => r.startsWith("network porthole-job-"))).toHaveLength(1);
      expect(removed.every((r) => r.endsWith(` of job ${made.env.jobId}`))).toBe(true);

      expect(await docker!.listContainers({ all: true, ...ofJob(crashed.scope!, made.env.jobId) })).toHaveLength(0);
      expect(await docker!.listNetworks(ofJob(crashed.scope!, made.env.jobId))).toHaveLength(0);
      expect(await docker!.listContainers({ all: true, ...ofJob(other.scope!, kept.env.jobId) })).toHaveLength(1);
      expect(await restarted.sweep!()).toEqual([]);
    } finally {
      await Promise.all([survivor.cleanup(), lost.cleanup()]); // a failed assertion must not leak containers
    }
  }, 60_000);

  test("a runner without a scope sweeps its unscoped leftovers and leaves scoped ones", async () => {
    const runnerId = 700_000 + Math.floor(Math.random() * 100_000); // no real server has this runner
    const unscoped = testProvider({}, null, runnerId);
    const scoped = testProvider({}, `some-server-${runnerId}`, runnerId);
    const a = makeJob();
    const b = makeJob();
    disposals.push(a.dispose, b.dispose);
    const kept = scoped.provider.create(b.env);
    const lost = unscoped.provider.create(a.env);
    try {
      await lost.prepare(captureSink(), never());
      await kept.prepare(captureSink(), never());
      const removed = await testProvider({}, null, runnerId).provider.sweep!();
      expect(removed).toEqual([
        expect.stringMatching(new RegExp(`^container porthole-job-${a.env.jobId}-\\w+ of job ${a.env.jobId}$`)),
      ]);
      expect(await docker!.listContainers({ all: true, ...ofJob(scoped.scope!, b.env.jobId) })).toHaveLength(1);
    } finally {
      await Promise.all([kept.cleanup(), lost.cleanup()]);
    }
  }, 60_000);
});
